"""The data migrations experiences 0016 and inbox 0002: experiences published before the inbox
get their handling organisation, their Handling row and their entries.

Rows are written with the historical models (before the migrations), then the migrations run
forward as on a production database."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import ContactPointFactory, OrganisationFactory, UserFactory

BEFORE = [("experiences", "0017_experience_handling_organisation"), ("inbox", "0001_initial")]


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


def test_published_experiences_fill_their_inboxes(before):
    Experience = before.get_model("experiences", "Experience")
    direction = OrganisationFactory(name="Direction")
    agency = OrganisationFactory(name="Agence", parent=direction, network=direction.network)
    point = ContactPointFactory(organisation=agency)
    author = UserFactory()
    published_at = timezone.now() - dt.timedelta(days=40)

    def experience(**fields):  # noqa: ANN003, ANN202
        return Experience.objects.create(
            author_id=author.pk, network_id=direction.network_id, title="T", body="B", **fields
        )

    open_ = experience(contact_point_id=point.pk, status="published", published_at=published_at)
    answered = experience(
        contact_point_id=point.pk,
        status="published",
        published_at=published_at,
        is_answered=True,
    )
    network_only = experience(status="published", published_at=published_at)
    pending = experience(contact_point_id=point.pk)

    apps = _migrate([("inbox", "0002_fill_inbox")])
    Experience = apps.get_model("experiences", "Experience")
    Handling = apps.get_model("inbox", "Handling")
    InboxEntry = apps.get_model("inbox", "InboxEntry")
    handled = dict(Experience.objects.values_list("pk", "handling_organisation_id"))
    assert handled == {
        open_.pk: agency.pk,
        answered.pk: agency.pk,
        network_only.pk: direction.pk,
        pending.pk: None,
    }
    entries = set(InboxEntry.objects.values_list("experience_id", "organisation_id", "state"))
    assert entries == {
        (open_.pk, direction.pk, "a_traiter"),
        (open_.pk, agency.pk, "a_traiter"),
        (answered.pk, direction.pk, "repondu"),
        (answered.pk, agency.pk, "repondu"),
        (network_only.pk, direction.pk, "a_traiter"),
    }
    handling = Handling.objects.get(experience_id=open_.pk)
    assert handling.due_at == published_at + dt.timedelta(days=15)
    assert handling.escalates_at == published_at + dt.timedelta(days=22)
    assert Handling.objects.get(experience_id=network_only.pk).escalates_at is None  # a root
    assert Handling.objects.get(experience_id=answered.pk).escalates_at is None
