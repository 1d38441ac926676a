"""PostgreSQL only: GIN index on the generated `search_vector` (SQLite scans its folded text)."""

from django.db import migrations

from ecoute.experiences.search import GIN_INDEX_NAME, create_gin_index_sql


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("experiences", "Experience")._meta.db_table
    schema_editor.execute(create_gin_index_sql(schema_editor.quote_name(table)))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("experiences", "0004_browse_filters_reactions_search")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
