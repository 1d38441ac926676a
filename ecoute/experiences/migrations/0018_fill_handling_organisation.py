"""Data: published experiences written before the field are handled by their contact point's
organisation, or (naming only a network) by the network's head organisation."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):  # noqa: ANN001, ANN201
    Experience = apps.get_model("experiences", "Experience")
    ContactPoint = apps.get_model("catalogue", "ContactPoint")
    Organisation = apps.get_model("catalogue", "Organisation")
    waiting = Experience.objects.filter(status="published", handling_organisation__isnull=True)
    waiting.filter(contact_point__isnull=False).update(
        handling_organisation_id=Subquery(
            ContactPoint.objects.filter(pk=OuterRef("contact_point_id")).values(
                "organisation_id"
            )[:1]
        )
    )
    network_ids = (
        waiting.filter(contact_point__isnull=True).values_list("network_id", flat=True).distinct()
    )
    for network_id in list(network_ids):
        head = (
            Organisation.objects.filter(network_id=network_id, parent__isnull=True)
            .order_by("id")
            .first()
        )
        if head is not None:
            waiting.filter(contact_point__isnull=True, network_id=network_id).update(
                handling_organisation_id=head.pk
            )


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_organisation_answer_delay_and_manager_role"),
        ("experiences", "0017_experience_handling_organisation"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
