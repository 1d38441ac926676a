"""PostgreSQL only: the `ecoute_french` text search configuration (french + unaccent) that the
generated `Experience.search_vector` column of the next migration is built with."""

from django.db import migrations

from ecoute.experiences.search import SEARCH_CONFIG, postgresql_forwards_sql


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in postgresql_forwards_sql():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {SEARCH_CONFIG}")


class Migration(migrations.Migration):
    dependencies = [("experiences", "0002_experience_moderation_queue_index")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
