"""Published editions are frozen in the database too: triggers refuse any insert, update or
delete of a published edition's figures, the deletion of a published edition, and any change
to it except being replaced by a correction (is_current true -> false) or losing the account
that prepared or published it (set to NULL when the account is deleted).

PostgreSQL (PL/pgSQL) and SQLite (RAISE(ABORT)) alike; the statements are kept here, in the
migration, so that they never change under an applied migration.
"""

from django.db import migrations

MESSAGE_FIGURES = "barometre: the figures of a published edition are frozen"
MESSAGE_EDITION = "barometre: a published edition is frozen"

# Columns of a published edition that never change (NULL-safe comparison).
FROZEN_COLUMNS = (
    "year",
    "half",
    "version",
    "status",
    "supersedes_id",
    "compared_to_id",
    "correction_reason",
    "note",
    "minimum_sample",
    "prepared_at",
    "published_at",
)


def _sqlite_same(column: str) -> str:
    return f"NEW.{column} IS OLD.{column}"


def _postgres_same(column: str) -> str:
    return f"NEW.{column} IS NOT DISTINCT FROM OLD.{column}"


SQLITE_EDITION_UNCHANGED = " AND ".join(
    [
        *map(_sqlite_same, FROZEN_COLUMNS),
        "(NEW.is_current IS OLD.is_current OR NOT NEW.is_current)",
        "(NEW.prepared_by_id IS OLD.prepared_by_id OR NEW.prepared_by_id IS NULL)",
        "(NEW.published_by_id IS OLD.published_by_id OR NEW.published_by_id IS NULL)",
    ]
)
POSTGRES_EDITION_UNCHANGED = " AND ".join(
    [
        *map(_postgres_same, FROZEN_COLUMNS),
        "(NEW.is_current = OLD.is_current OR NOT NEW.is_current)",
        "(NEW.prepared_by_id IS NOT DISTINCT FROM OLD.prepared_by_id"
        " OR NEW.prepared_by_id IS NULL)",
        "(NEW.published_by_id IS NOT DISTINCT FROM OLD.published_by_id"
        " OR NEW.published_by_id IS NULL)",
    ]
)

PUBLISHED = "(SELECT status FROM barometre_edition WHERE id = {row}.edition_id) = 'published'"

SQLITE_FORWARD = [
    *(
        f"""CREATE TRIGGER barometre_figure_frozen_{op.lower()} BEFORE {op} ON barometre_figure
        FOR EACH ROW WHEN {PUBLISHED.format(row=row)}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE_FIGURES}'); END;"""
        for op, row in (("INSERT", "NEW"), ("DELETE", "OLD"))
    ),
    f"""CREATE TRIGGER barometre_figure_frozen_update BEFORE UPDATE ON barometre_figure
    FOR EACH ROW WHEN {PUBLISHED.format(row="OLD")} OR {PUBLISHED.format(row="NEW")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_FIGURES}'); END;""",
    f"""CREATE TRIGGER barometre_edition_frozen_update BEFORE UPDATE ON barometre_edition
    FOR EACH ROW WHEN OLD.status = 'published' AND NOT ({SQLITE_EDITION_UNCHANGED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_EDITION}'); END;""",
    f"""CREATE TRIGGER barometre_edition_frozen_delete BEFORE DELETE ON barometre_edition
    FOR EACH ROW WHEN OLD.status = 'published'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE_EDITION}'); END;""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "barometre_figure_frozen_insert",
        "barometre_figure_frozen_delete",
        "barometre_figure_frozen_update",
        "barometre_edition_frozen_update",
        "barometre_edition_frozen_delete",
    )
]

POSTGRES_FORWARD = [
    f"""CREATE FUNCTION barometre_figure_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND {PUBLISHED.format(row="OLD")} THEN
            RAISE EXCEPTION '{MESSAGE_FIGURES}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND {PUBLISHED.format(row="NEW")} THEN
            RAISE EXCEPTION '{MESSAGE_FIGURES}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$;""",
    """CREATE TRIGGER barometre_figure_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON barometre_figure FOR EACH ROW EXECUTE FUNCTION barometre_figure_frozen();""",
    f"""CREATE FUNCTION barometre_edition_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.status = 'published' AND (TG_OP = 'DELETE' OR NOT ({POSTGRES_EDITION_UNCHANGED}))
        THEN
            RAISE EXCEPTION '{MESSAGE_EDITION}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END $$;""",
    """CREATE TRIGGER barometre_edition_frozen BEFORE UPDATE OR DELETE
    ON barometre_edition FOR EACH ROW EXECUTE FUNCTION barometre_edition_frozen();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS barometre_figure_frozen ON barometre_figure;",
    "DROP FUNCTION IF EXISTS barometre_figure_frozen();",
    "DROP TRIGGER IF EXISTS barometre_edition_frozen ON barometre_edition;",
    "DROP FUNCTION IF EXISTS barometre_edition_frozen();",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("barometre", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
