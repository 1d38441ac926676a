"""The data migration experiences 0013: every existing experience and answer gets its moderation
item, with the state it had; rows the constraints of 0014 would refuse are repaired first.

Rows are written with the historical models of experiences 0012 (before the contract), then
the migrations run forward as on a production database."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import ContactPointFactory, UserFactory

BEFORE = [("experiences", "0012_one_official_answer_per_organisation")]
AFTER = [("experiences", "0014_experience_state_constraints")]
MODERATION = ("moderation", "0004_moderation_items_masked_texts")  # unchanged by these steps
MISSING_REASON = "Motif non renseigné (avant la modération unifiée)"


def _migrate(targets):  # noqa: ANN001, ANN202
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([*targets, MODERATION]).apps


@pytest.fixture
def at_0012(transactional_db):  # noqa: ANN001, ANN201
    """The database as it was before the moderation contract; back to the latest state after."""
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_rows_join_the_contract_with_their_state(at_0012):
    Experience = at_0012.get_model("experiences", "Experience")
    Answer = at_0012.get_model("experiences", "Answer")
    point = ContactPointFactory()
    network_id = point.organisation.network_id
    author, agent = UserFactory(), UserFactory()
    day = timezone.now() - dt.timedelta(days=10)

    def experience(title, **fields):  # noqa: ANN001, ANN003, ANN202
        row = Experience.objects.create(
            author_id=author.pk,
            contact_point_id=point.pk,
            network_id=network_id,
            title=title,
            body="Récit",
            **fields,
        )
        Experience.objects.filter(pk=row.pk).update(created_at=day)  # auto_now_add
        return row

    pending = experience("En attente", status="pending")
    imported = experience("Importée", status="pending", origin="imported")
    published = experience(
        "Publiée", status="published", published_at=day, departement_id=point.departement_id
    )
    published_undated = experience("Publiée sans date", status="published")
    hidden = experience("Masquée", status="hidden", hidden_reason="Hors charte")
    hidden_no_reason = experience("Masquée sans motif", status="hidden")
    organisation_id = point.organisation_id
    answer = Answer.objects.create(
        experience_id=published.pk, author_id=agent.pk, organisation_id=organisation_id, body="Oui"
    )
    hidden_answer = Answer.objects.create(
        experience_id=published.pk,
        author_id=agent.pk,
        organisation_id=organisation_id,
        body="Non",
        follow_up_of_id=answer.pk,  # one official answer per organisation (experiences 0012)
        hidden_at=timezone.now(),
        hidden_reason="Injurieuse",
    )
    hidden_answer_no_reason = Answer.objects.create(
        experience_id=published.pk,
        author_id=agent.pk,
        organisation_id=organisation_id,
        body="Peut-être",
        follow_up_of_id=answer.pk,
        hidden_at=timezone.now(),
    )

    apps = _migrate(AFTER)

    Experience = apps.get_model("experiences", "Experience")
    Answer = apps.get_model("experiences", "Answer")
    ModerationItem = apps.get_model("moderation", "ModerationItem")
    items = {(i.kind, i.object_id): i for i in ModerationItem.objects.all()}
    assert len(items) == 9  # six experiences, three answers: one item each

    def item(kind, row):  # noqa: ANN001, ANN202
        return items[(kind, row.pk)]

    assert (item("experience", pending).state, item("experience", pending).awaiting) == (
        "pending",
        True,
    )
    assert item("experience", pending).priority == 2
    assert item("experience", pending).departement == point.departement_id  # contact point's
    assert item("experience", pending).network_id == network_id
    assert item("experience", pending).created_at == day
    assert (item("experience", imported).origin, item("experience", imported).priority) == (
        "imported",
        3,
    )
    for row in (published, published_undated):
        assert item("experience", row).state == "published"
        assert not item("experience", row).awaiting
    # Repaired: a published row without a date takes its creation date.
    assert Experience.objects.get(pk=published_undated.pk).published_at == day
    assert item("experience", published_undated).published_at == day
    assert item("experience", published).published_at == day
    # Hidden rows go to the trash with their reason (a placeholder when there was none).
    assert (item("experience", hidden).state, item("experience", hidden).reason) == (
        "hidden",
        "Hors charte",
    )
    assert item("experience", hidden).decided_at is not None
    assert Experience.objects.get(pk=hidden_no_reason.pk).hidden_reason == MISSING_REASON
    assert item("experience", hidden_no_reason).reason == MISSING_REASON
    # Answers: published unless hidden, never waiting, titled after their experience.
    assert item("reponse", answer).state == "published"
    assert not item("reponse", answer).awaiting
    assert "Publiée" in item("reponse", answer).title
    assert (item("reponse", hidden_answer).state, item("reponse", hidden_answer).reason) == (
        "hidden",
        "Injurieuse",
    )
    assert item("reponse", hidden_answer).decided_at is not None
    assert Answer.objects.get(pk=hidden_answer_no_reason.pk).hidden_reason == MISSING_REASON
    assert item("reponse", hidden_answer_no_reason).reason == MISSING_REASON
    # Every item satisfies the new constraints (published ⇒ date, hidden ⇒ reason).
    assert not ModerationItem.objects.filter(state="published", published_at=None).exists()
    assert not ModerationItem.objects.filter(state="hidden", reason="").exists()


def test_migrating_twice_makes_no_second_item_and_backwards_removes_them(at_0012):
    Experience = at_0012.get_model("experiences", "Experience")
    point = ContactPointFactory()
    Experience.objects.create(
        contact_point_id=point.pk,
        network_id=point.organisation.network_id,
        title="Une",
        body="Récit",
    )
    apps = _migrate(AFTER)
    assert apps.get_model("moderation", "ModerationItem").objects.count() == 1

    apps = _migrate(BEFORE)  # backwards: the items of experiences and answers go
    assert apps.get_model("moderation", "ModerationItem").objects.count() == 0
    apps = _migrate(AFTER)
    assert apps.get_model("moderation", "ModerationItem").objects.count() == 1
