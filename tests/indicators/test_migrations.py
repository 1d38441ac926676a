"""The data migration indicators 0002: the experiences already published get their roll-ups
(they replace the removed ContactPointRatingSummary), equal to a rebuild."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ecoute.indicators.rollups import rebuild
from tests.factories import ContactPointFactory
from tests.indicators.helpers import nonzero_rollups

BEFORE = [
    ("indicators", "0001_initial"),
    ("experiences", "0019_remove_contact_point_rating_summary"),
]
AFTER = [("indicators", "0002_rollups_of_published_experiences")]


def _migrate(targets):  # noqa: ANN001, ANN202
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before(transactional_db):  # noqa: ANN001, ANN201
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_published_experiences_are_rolled_up(before):
    Experience = before.get_model("experiences", "Experience")
    point = ContactPointFactory()
    for status, mark in [("published", 5), ("published", 2), ("pending", 4)]:
        Experience.objects.create(
            contact_point_id=point.pk,
            network_id=point.organisation.network_id,
            organisation_id=point.organisation_id,
            commune_id=point.commune_id,
            departement_id=point.departement_id,
            occurred_on=dt.date(2026, 3, 1),
            rating_satisfaction=mark,
            title="Récit",
            body="Récit",
            status=status,
            published_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC) if status == "published" else None,
        )
    _migrate(AFTER)
    migrated = nonzero_rollups()
    assert ("satisfaction", "nation", "FR", "year", dt.date(2026, 1, 1), 1, 2, 7) in migrated
    rebuild()
    assert nonzero_rollups() == migrated
