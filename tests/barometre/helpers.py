"""Clearing editions in tests that commit (browser journeys on SQLite).

Django's flush empties SQLite tables with DELETE, which the freeze triggers refuse for a
published edition (PostgreSQL's TRUNCATE fires no row trigger). Tests that commit published
editions call `delete_every_edition()` before the flush: it lifts the triggers, deletes, and
puts them back, with the migration's own statements.
"""

import importlib

from django.db import connection

from ecoute.barometre.models import Edition, Figure

freeze = importlib.import_module("ecoute.barometre.migrations.0002_freeze_published_editions")


def delete_every_edition() -> None:
    forward, reverse = {
        "sqlite": (freeze.SQLITE_FORWARD, freeze.SQLITE_REVERSE),
        "postgresql": (freeze.POSTGRES_FORWARD, freeze.POSTGRES_REVERSE),
    }[connection.vendor]
    with connection.cursor() as cursor:
        for statement in reverse:
            cursor.execute(statement)
        Figure.objects.all().delete()
        Edition.objects.filter(supersedes__isnull=False).delete()
        Edition.objects.all().delete()
        for statement in forward:
            cursor.execute(statement)
