"""Every existing experience and answer joins the moderation contract: one ModerationItem each,
with the state it has today (decision 0012). Rows that would break the new constraints of
0014 are repaired first (a published row without date gets its creation date; a hidden row
without reason gets a placeholder reason)."""

from django.db import migrations
from django.db.models import Q

BATCH = 2000
STATES = {"pending": "pending", "published": "published", "hidden": "hidden"}
MISSING_REASON = "Motif non renseigné (avant la modération unifiée)"


def _priority(origin: str) -> int:
    return 3 if origin == "imported" else 2


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    Experience = apps.get_model("experiences", "Experience")
    Answer = apps.get_model("experiences", "Answer")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModerationItem = apps.get_model("moderation", "ModerationItem")
    published_without_date = Experience.objects.filter(status="published", published_at=None)
    for experience in published_without_date.only("pk", "created_at").iterator():
        Experience.objects.filter(pk=experience.pk).update(published_at=experience.created_at)
    Experience.objects.filter(status="hidden", hidden_reason="").update(
        hidden_reason=MISSING_REASON
    )
    Answer.objects.filter(~Q(hidden_at=None), hidden_reason="").update(hidden_reason=MISSING_REASON)

    experience_type, _ = ContentType.objects.get_or_create(app_label="experiences", model="experience")
    answer_type, _ = ContentType.objects.get_or_create(app_label="experiences", model="answer")
    ModerationLogEntry = apps.get_model("moderation", "ModerationLogEntry")
    hidden_on = dict(
        ModerationLogEntry.objects.filter(content_type=experience_type, action="hide")
        .order_by("object_id", "created_at")
        .values_list("object_id", "created_at")
    )  # the latest hiding of each, as the dict keeps the last value
    known = set(
        ModerationItem.objects.filter(content_type=experience_type).values_list("object_id", flat=True)
    )
    batch = []
    rows = Experience.objects.select_related("contact_point").order_by("pk")
    for e in rows.iterator(chunk_size=BATCH):
        if e.pk in known:
            continue
        origin = "imported" if e.origin == "imported" else "new"
        departement = e.departement_id or (e.contact_point.departement_id if e.contact_point else "")
        batch.append(
            ModerationItem(
                content_type=experience_type,
                object_id=e.pk,
                kind="experience",
                state=STATES[e.status],
                reason=e.hidden_reason if e.status == "hidden" else "",
                title=e.title[:200],
                network_id=e.network_id,
                departement=departement or "",
                origin=origin,
                priority=_priority(origin),
                awaiting=e.status == "pending",
                created_at=e.created_at,
                published_at=e.published_at,
                decided_at=hidden_on.get(e.pk, e.created_at) if e.status == "hidden" else None,
            )
        )
        if len(batch) >= BATCH:
            ModerationItem.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    known = set(
        ModerationItem.objects.filter(content_type=answer_type).values_list("object_id", flat=True)
    )
    answers = Answer.objects.select_related("experience", "organisation").order_by("pk")
    for a in answers.iterator(chunk_size=BATCH):
        if a.pk in known:
            continue
        service = a.organisation.public_name or a.organisation.name
        batch.append(
            ModerationItem(
                content_type=answer_type,
                object_id=a.pk,
                kind="reponse",
                state="hidden" if a.hidden_at else "published",
                reason=a.hidden_reason if a.hidden_at else "",
                title=f"Réponse de {service} à « {a.experience.title} »"[:200],
                network_id=a.experience.network_id,
                departement=a.experience.departement_id or "",
                origin="new",
                priority=2,
                awaiting=False,
                created_at=a.created_at,
                published_at=a.created_at,
                decided_at=a.hidden_at,
            )
        )
        if len(batch) >= BATCH:
            ModerationItem.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    ModerationItem.objects.bulk_create(batch, ignore_conflicts=True)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    ModerationItem = apps.get_model("moderation", "ModerationItem")
    ModerationItem.objects.filter(kind__in=["experience", "reponse"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("experiences", "0012_one_official_answer_per_organisation"),
        ("moderation", "0004_moderation_items_masked_texts"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
