"""Data: before the one-official-answer constraint (0012), make every later answer of an
organisation to the same experience a follow-up of its first one, and give every existing
answer its first revision (the history starts with the version as published)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def forwards(apps, schema_editor):  # noqa: ANN001
    Answer = apps.get_model("experiences", "Answer")
    AnswerRevision = apps.get_model("experiences", "AnswerRevision")
    official: dict[tuple[int, int], int] = {}
    for answer in Answer.objects.order_by("created_at", "id").iterator():
        key = (answer.experience_id, answer.organisation_id)
        if key in official:
            Answer.objects.filter(pk=answer.pk).update(follow_up_of_id=official[key])
        else:
            official[key] = answer.pk
    batch = []
    for answer in Answer.objects.filter(revisions__isnull=True).iterator():
        batch.append(
            AnswerRevision(
                answer_id=answer.pk,
                body=answer.body,
                masked_items=answer.masked_items,
                author_id=answer.author_id,
            )
        )
        if len(batch) == 1000:
            AnswerRevision.objects.bulk_create(batch)
            batch = []
    AnswerRevision.objects.bulk_create(batch)
    # auto_now_add stamped them now: the first version dates from the answer.
    AnswerRevision.objects.update(
        created_at=Subquery(
            Answer.objects.filter(pk=OuterRef("answer_id")).values("created_at")[:1]
        )
    )


def backwards(apps, schema_editor):  # noqa: ANN001
    apps.get_model("experiences", "AnswerRevision").objects.all().delete()
    apps.get_model("experiences", "Answer").objects.update(follow_up_of=None)


class Migration(migrations.Migration):
    dependencies = [("experiences", "0010_answer_follow_up_revisions")]

    operations = [migrations.RunPython(forwards, backwards)]
