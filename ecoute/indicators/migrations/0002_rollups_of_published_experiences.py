"""Data: the roll-ups of the experiences already published (they replace the experiences'
ContactPointRatingSummary, removed by experiences 0019). Reads the historical Experience
model; the roll-up table is written by rollups.add (raw SQL on its table name only)."""

from django.db import migrations


def build(apps, schema_editor):  # noqa: ANN001, ANN201
    from ecoute.indicators.rollups import add, felt_deltas

    experience = apps.get_model("experiences", "Experience")
    add(felt_deltas(experience.objects.filter(status="published")))


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
        ("experiences", "0019_remove_contact_point_rating_summary"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
