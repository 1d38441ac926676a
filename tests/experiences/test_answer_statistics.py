"""Answer rate and median delay to the first answer: the roll-up moved by the actions equals a
recount, scopes (organisation with those below it, network), the definitions (lower median,
delay in whole days), the public page with its minimums, the rebuild command and the data
migration."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences import actions
from ecoute.experiences.answer_statistics import (
    AnswerFigures,
    delay_days,
    median_days,
    rebuild_answer_statistics,
)
from ecoute.experiences.models import AnswerStatistics
from ecoute.experiences.queries import answer_statistics
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[tuple[int | None, int | None], tuple[int, int, dict]]:
    return {
        (row.network_id, row.organisation_id): (
            row.published_count,
            row.answered_count,
            row.delay_histogram,
        )
        for row in AnswerStatistics.objects.all()
        if row.published_count or row.answered_count
    }


@pytest.fixture
def tree():
    parent = OrganisationFactory(name="Direction")
    agency = OrganisationFactory(name="Agence", parent=parent, network=parent.network)
    return {
        "parent": parent,
        "agency": agency,
        "point": ContactPointFactory(organisation=agency),
        "moderator": UserFactory(moderator=True),
        "agent": AgentMembershipFactory(organisation=agency).user,
    }


def _published(tree, **fields):
    experience = ExperienceFactory(contact_point=tree["point"], **fields)
    actions.publish_experience(actor=tree["moderator"], experience=experience)
    experience.refresh_from_db()
    return experience


def test_actions_keep_the_roll_up_equal_to_a_recount(tree):
    first, second, third = (_published(tree) for _ in range(3))
    actions.answer_experience(author=tree["agent"], experience=first, body="Merci, c'est réglé.")
    actions.answer_experience(author=tree["agent"], experience=second, body="Nous regardons.")
    assert answer_statistics(organisation=tree["agency"]).answered == 2
    actions.hide_experience(actor=tree["moderator"], experience=second, reason="Hors charte")
    second.refresh_from_db()
    actions.edit_experience(
        actor=third.author,
        experience=third,
        occurred_on=third.occurred_on,
        channel="guichet",
        sentiment="negative",
        ratings=actions.Ratings(1, 1, 1, 1, 1),
        title="Nouveau titre",
        body="Nouveau récit de mon passage au guichet.",
    )
    actions.publish_experience(actor=tree["moderator"], experience=second)  # back, answered
    fourth = _published(tree)
    actions.withdraw_experience(actor=fourth.author, experience=fourth)
    maintained = _snapshot()
    rebuild_answer_statistics()
    assert _snapshot() == maintained
    network = answer_statistics(network_id=tree["agency"].network_id)
    assert (network.published, network.answered) == (2, 2)


def test_an_organisation_counts_those_below_it_and_a_network_its_own(tree):
    experience = _published(tree)
    actions.answer_experience(author=tree["agent"], experience=experience, body="Merci beaucoup.")
    for scope in (
        answer_statistics(organisation=tree["agency"]),
        answer_statistics(organisation=tree["parent"]),
        answer_statistics(network_id=tree["agency"].network_id),
    ):
        assert (scope.published, scope.answered) == (1, 1)
    assert answer_statistics(organisation=OrganisationFactory()).published == 0


def test_only_the_first_answer_counts(tree):
    experience = _published(tree)
    actions.answer_experience(author=tree["agent"], experience=experience, body="Premier texte.")
    actions.answer_experience(
        author=tree["agent"], experience=experience, body="Un complément.", follow_up=True
    )
    row = AnswerStatistics.objects.get(organisation=tree["agency"])
    assert (row.answered_count, row.delay_histogram) == (1, {"0": 1})
    experience.refresh_from_db()
    assert experience.first_answered_at is not None


def test_delay_and_median_definitions():
    published = timezone.now()
    assert delay_days(published, published + dt.timedelta(hours=23)) == 0
    assert delay_days(published, published + dt.timedelta(days=2, hours=1)) == 2
    assert delay_days(published, published - dt.timedelta(days=1)) == 0
    assert delay_days(published, published + dt.timedelta(days=900)) == 366
    assert median_days({}) is None
    assert median_days({"1": 1, "3": 1}) == 1  # lower median
    assert median_days({"0": 2, "5": 1, "9": 2}) == 5
    # Adding two organisations' histograms gives the network's median exactly.
    assert median_days({"1": 3, "4": 1} | {"10": 3}) == 4


def test_figures_hide_small_samples():
    few = AnswerFigures.from_row(
        AnswerStatistics(published_count=9, answered_count=4, delay_histogram={"2": 4})
    )
    assert few.rate_percent is None and few.median_delay_days is None
    enough = AnswerFigures.from_row(
        AnswerStatistics(published_count=10, answered_count=5, delay_histogram={"2": 5})
    )
    assert enough.rate_percent == 50 and enough.median_delay_days == 2
    with pytest.raises(ValueError):
        answer_statistics()


def test_contact_point_page_shows_the_figures_or_a_dash(tree, client):
    url = reverse("experiences:contact_point", args=[tree["point"].pk])
    page = client.get(url)
    assert 'data-testid="answer-statistics"' in page.text
    assert "pas assez de données" in page.text
    experiences = [_published(tree) for _ in range(10)]
    for experience in experiences[:6]:
        actions.answer_experience(author=tree["agent"], experience=experience, body="Merci !!")
    page = client.get(url)
    assert "60 %" in page.text and "6 sur 10" in page.text
    assert "0 jour" in page.text


def test_rebuild_command(tree, capsys):
    experience = _published(tree)
    AnswerStatistics.objects.all().delete()
    call_command("rebuild_answer_statistics")
    assert "3 answer statistics rows written" in capsys.readouterr().out
    assert answer_statistics(organisation=tree["parent"]).published == 1
    assert experience.pk


BEFORE = [("experiences", "0014_experience_state_constraints")]
AFTER = [("experiences", "0016_backfill_answer_statistics")]


def _migrate(targets):  # noqa: ANN001, ANN202
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def at_0014(transactional_db):  # noqa: ANN001, ANN201
    apps = _migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_data_migration_fills_first_answers_and_roll_ups(at_0014):
    apps = at_0014
    OldExperience = apps.get_model("experiences", "Experience")
    OldAnswer = apps.get_model("experiences", "Answer")
    parent = OrganisationFactory()
    agency = OrganisationFactory(parent=parent, network=parent.network)
    point = ContactPointFactory(organisation=agency)
    author, agent = UserFactory(), UserFactory()
    published_at = timezone.now() - dt.timedelta(days=10)

    def experience(status: str = "published"):  # noqa: ANN202
        return OldExperience.objects.create(
            author_id=author.pk,
            contact_point_id=point.pk,
            network_id=agency.network_id,
            organisation_id=agency.pk,
            title="t",
            body="b",
            status=status,
            published_at=published_at if status == "published" else None,
            hidden_reason="x" if status == "hidden" else "",
        )

    answered, unanswered, hidden = experience(), experience(), experience("hidden")
    official = {}
    for row, days in ((answered, 3), (answered, 5), (hidden, 1)):
        answer = OldAnswer.objects.create(
            experience_id=row.pk,
            author_id=agent.pk,
            organisation_id=agency.pk,
            body="merci",
            follow_up_of_id=official.get(row.pk),  # the second one is a complement
        )
        official.setdefault(row.pk, answer.pk)
        OldAnswer.objects.filter(pk=answer.pk).update(
            created_at=published_at + dt.timedelta(days=days)
        )
    assert unanswered.pk
    # The models as they stand at that migration (later ones add columns).
    after = _migrate(AFTER)
    experiences = after.get_model("experiences", "Experience").objects
    statistics = after.get_model("experiences", "AnswerStatistics").objects
    new = experiences.get(pk=answered.pk)
    assert new.first_answered_at == published_at + dt.timedelta(days=3)
    assert experiences.get(pk=hidden.pk).first_answered_at is not None
    row = statistics.get(organisation_id=parent.pk)
    assert (row.published_count, row.answered_count, row.delay_histogram) == (2, 1, {"3": 1})
    network_row = statistics.get(network_id=agency.network_id)
    assert network_row.published_count == 2
