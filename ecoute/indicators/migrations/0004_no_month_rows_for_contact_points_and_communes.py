"""The contact point, commune and organisation scopes keep no month rows (models.keeps: no page reads them,
they were about half the keys of a batch): delete those rows. PostgreSQL: fillfactor 45 instead
of 70, so that every row of a page can take one HOT update per batch (a batch adds to each of
its keys once; at 70 only a third of them found room in their page, the others wrote a new
index entry in every index); and the key's text columns compared byte by byte (COLLATE "C":
the keys are slugs, ids and INSEE codes, sorted by no page), which makes each probe of the
unique index and the sort of a batch's keys cheaper than the database's C.UTF-8 (strcoll):
bench/indicators_rollup.py, docs/benchmarks.md. Not in the model's fields (SQLite has no "C"
collation): an AlterField of these columns would reset it, to be set again."""

from django.db import migrations

MONTHLESS = ["contact_point", "commune", "organisation"]


def delete_month_rows(apps, schema_editor):  # noqa: ANN001, ANN201
    rollup = apps.get_model("indicators", "IndicatorRollup")
    rollup.objects.filter(scope_kind__in=MONTHLESS, period_kind="month").delete()


def set_fillfactor(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE indicators_indicatorrollup SET (fillfactor = 45)")


KEY_COLUMNS = {"indicator": 40, "scope_kind": 20, "scope_key": 20, "period_kind": 10}


def byte_collation(apps, schema_editor):  # noqa: ANN001, ANN201
    _collate(schema_editor, '"C"')


def default_collation(apps, schema_editor):  # noqa: ANN001, ANN201
    _collate(schema_editor, "pg_catalog.default")


def _collate(schema_editor, collation: str) -> None:  # noqa: ANN001
    if schema_editor.connection.vendor == "postgresql":
        columns = ", ".join(
            f"ALTER COLUMN {name} TYPE varchar({length}) COLLATE {collation}"
            for name, length in KEY_COLUMNS.items()
        )
        schema_editor.execute(f"ALTER TABLE indicators_indicatorrollup {columns}")


def reset_fillfactor(apps, schema_editor):  # noqa: ANN001, ANN201
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE indicators_indicatorrollup SET (fillfactor = 70)")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_rollup_fillfactor")]

    operations = [
        # Backwards: the month rows come back with `manage.py rebuild_indicator_rollups` on the
        # code that keeps them.
        migrations.RunPython(delete_month_rows, migrations.RunPython.noop),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
        migrations.RunPython(byte_collation, default_collation),
    ]
