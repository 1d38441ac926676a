"""PostgreSQL only: pg_trgm, a GIN index on the tsvector and a trigram GIN index on names.

SQLite has neither tsvector nor pg_trgm: there the search ranks in Python
(docs/decisions/0005-search-ranking.md), so these operations do nothing on it.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS catalogue_org_search_vector_gin "
    "ON catalogue_organisation USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS catalogue_org_search_name_trgm "
    "ON catalogue_organisation USING gin (search_name gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS catalogue_org_search_name_trgm",
    "DROP INDEX IF EXISTS catalogue_org_search_vector_gin",
]


def _run(statements: list[str]):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202, ARG001
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0003_organisation_search_document")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
