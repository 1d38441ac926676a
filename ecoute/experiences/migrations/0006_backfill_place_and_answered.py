"""Data: copy each experience's place (organisation, commune, département of its contact point)
and whether it was answered into the new columns the public list filters on."""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def forwards(apps, schema_editor):
    Experience = apps.get_model("experiences", "Experience")
    ContactPoint = apps.get_model("catalogue", "ContactPoint")
    Answer = apps.get_model("experiences", "Answer")
    point = ContactPoint.objects.filter(pk=OuterRef("contact_point_id"))
    Experience.objects.filter(contact_point__isnull=False).update(
        organisation_id=Subquery(point.values("organisation_id")[:1]),
        commune_id=Subquery(point.values("commune_id")[:1]),
        departement_id=Subquery(point.values("departement_id")[:1]),
    )
    Experience.objects.filter(
        Exists(Answer.objects.filter(experience_id=OuterRef("pk")))
    ).update(is_answered=True)


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0005_experience_search_gin_index"),
        ("catalogue", "0002_organisation_is_active_label"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
