"""PostgreSQL: leave room in the roll-up table's pages (fillfactor 70) so that adding to a row
is a HOT update (no index entry written, the old version reclaimed in the page): a batch of
10,000 experiences updates ~50,000 rows (bench/indicators_rollup.py: 5 s → 1-2 s); and vacuum
it after 2 % of its rows changed (default 20 %), so dead versions do not pile up between
batches."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE indicators_indicatorrollup "
            "SET (fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02)"
        )


def reset_fillfactor(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE indicators_indicatorrollup "
            "RESET (fillfactor, autovacuum_vacuum_scale_factor)"
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_rollups_of_published_experiences")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
