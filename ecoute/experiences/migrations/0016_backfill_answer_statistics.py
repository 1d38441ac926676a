"""Data: the first-answer date of every answered experience (its earliest answer), then the
answer roll-ups of every organisation and network, counted as rebuild_answer_statistics does
(the same pure tally)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

from ecoute.experiences.answer_statistics import tally


def forwards(apps, schema_editor):
    Experience = apps.get_model("experiences", "Experience")
    Answer = apps.get_model("experiences", "Answer")
    AnswerStatistics = apps.get_model("experiences", "AnswerStatistics")
    Organisation = apps.get_model("catalogue", "Organisation")
    first = Answer.objects.filter(experience_id=OuterRef("pk")).order_by("created_at", "id")
    Experience.objects.filter(first_answered_at__isnull=True).filter(
        pk__in=Answer.objects.values("experience_id")
    ).update(first_answered_at=Subquery(first.values("created_at")[:1]), is_answered=True)
    paths = dict(Organisation.objects.values_list("id", "path").iterator(chunk_size=5000))
    rows = (
        Experience.objects.filter(status="published")
        .order_by()
        .values_list("network_id", "organisation_id", "published_at", "first_answered_at")
        .iterator(chunk_size=10_000)
    )
    AnswerStatistics.objects.all().delete()
    AnswerStatistics.objects.bulk_create(
        [
            AnswerStatistics(**{f"{kind}_id": pk}, **counts.as_fields())
            for (kind, pk), counts in tally(rows, paths).items()
        ],
        batch_size=2000,
    )


def backwards(apps, schema_editor):
    apps.get_model("experiences", "AnswerStatistics").objects.all().delete()
    apps.get_model("experiences", "Experience").objects.update(first_answered_at=None)


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0015_first_answered_at_answer_statistics"),
        ("catalogue", "0005_engagements"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
