"""Data: the Handling row and the inbox entries of every experience published before the
inbox existed (the same rows as entries.sync_experience writes, with the historical models).
Reversible: going back drops the rows with the tables."""

import datetime as dt

from django.conf import settings
from django.db import migrations

BATCH = 2000


def _chain(path: str, pk: int) -> list[int]:
    ids = [int(part) for part in path.strip("/").split("/") if part]
    return ids if pk in ids else [*ids, pk]


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    Experience = apps.get_model("experiences", "Experience")
    Organisation = apps.get_model("catalogue", "Organisation")
    Handling = apps.get_model("inbox", "Handling")
    InboxEntry = apps.get_model("inbox", "InboxEntry")
    default_days = settings.ECOUTE_ANSWER_DELAY_DAYS
    grace = dt.timedelta(days=settings.ECOUTE_ESCALATION_DELAY_DAYS)
    organisations = {
        row["pk"]: row
        for row in Organisation.objects.values("pk", "path", "parent_id", "answer_delay_days")
    }
    published = (
        Experience.objects.filter(status="published", handling_organisation__isnull=False)
        .exclude(pk__in=Handling.objects.values("experience_id"))
        .order_by("pk")
        .values(
            "pk",
            "handling_organisation_id",
            "is_answered",
            "contact_point_id",
            "channel",
            "sentiment",
            "published_at",
        )
    )
    handlings, entries = [], []
    for row in published.iterator(chunk_size=BATCH):
        base = organisations[row["handling_organisation_id"]]
        days = base["answer_delay_days"]
        due = row["published_at"] + dt.timedelta(days=default_days if days is None else days)
        open_ = not row["is_answered"]
        escalates = due + grace if open_ and base["parent_id"] is not None else None
        handlings.append(Handling(experience_id=row["pk"], due_at=due, escalates_at=escalates))
        entries += [
            InboxEntry(
                organisation_id=organisation_id,
                experience_id=row["pk"],
                is_handler=organisation_id == base["pk"],
                state="a_traiter" if open_ else "repondu",
                is_open=open_,
                contact_point_id=row["contact_point_id"],
                channel=row["channel"],
                sentiment=row["sentiment"],
                published_at=row["published_at"],
                due_at=due,
            )
            for organisation_id in _chain(base["path"], base["pk"])
        ]
        if len(handlings) >= BATCH:
            Handling.objects.bulk_create(handlings)
            InboxEntry.objects.bulk_create(entries)
            handlings, entries = [], []
    Handling.objects.bulk_create(handlings)
    InboxEntry.objects.bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0001_initial"),
        ("experiences", "0018_fill_handling_organisation"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
