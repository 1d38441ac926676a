"""Agents' alerts on new experiences: immediate (grouped: a burst makes one e-mail) or a daily
digest (idempotent), only about their organisations, with a one-click unsubscribe."""

import datetime as dt
import itertools
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences import actions as experience_actions
from ecoute.follows import actions
from ecoute.follows.models import AgentAlertState, DigestDelivery, NotificationSettings
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    ExperienceFactory,
    FollowFactory,
    NotificationSettingsFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 11, 30)


def _mails_to(user):  # noqa: ANN001, ANN202
    return [message for message in mail.outbox if message.to == [user.email]]


def _agent(organisation, alerts: str | None = None):  # noqa: ANN001, ANN202
    user = AgentMembershipFactory(organisation=organisation).user
    if alerts:
        NotificationSettingsFactory(user=user, agent_alerts=alerts)
    return user


@pytest.fixture
def world():  # noqa: ANN201
    direction = OrganisationFactory(name="Direction A")
    agency = OrganisationFactory(name="Agence A", parent=direction, network=direction.network)
    other = OrganisationFactory(name="Organisation B")
    return {
        "point_a": ContactPointFactory(organisation=agency),
        "point_b": ContactPointFactory(organisation=other),
        "agent_a": _agent(agency, "immediate"),
        "boss_a": _agent(direction, "immediate"),  # above the agency: concerned too
        "agent_b": _agent(other, "immediate"),
        "daily_a": _agent(agency),  # the default: a daily digest
        "none_a": _agent(agency, "none"),
    }


def _later(minutes: int):  # noqa: ANN202
    return mock.patch(
        "django.utils.timezone.now",
        return_value=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=minutes),
    )


@pytest.fixture
def publish(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    moderator = UserFactory(moderator=True)
    author = UserFactory()
    numbers = itertools.count()

    def run(point, n: int = 1) -> list:  # noqa: ANN001
        experiences = [
            ExperienceFactory(contact_point=point, author=author, title=f"Rafale n°{next(numbers)}")
            for _ in range(n)
        ]
        with django_capture_on_commit_callbacks(execute=True):
            for experience in experiences:
                experience_actions.publish_experience(actor=moderator, experience=experience)
        return experiences

    return run


@pytest.fixture
def send_alerts(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    def run(minutes_later: int) -> None:
        with _later(minutes_later), django_capture_on_commit_callbacks(execute=True):
            call_command("send_agent_alerts")

    return run


def test_a_burst_of_100_new_experiences_sends_one_email_per_agent(world, publish, send_alerts):
    publish(world["point_a"], 100)
    agents = [world[name] for name in ("agent_a", "boss_a", "agent_b", "daily_a", "none_a")]
    assert all(_mails_to(agent) == [] for agent in agents)  # grouped, not yet sent

    send_alerts(11)  # the scheduler's next run after the delay (10 minutes)

    for name in ("agent_a", "boss_a"):
        [message] = _mails_to(world[name])
        assert "100 nouvelles expériences" in message.subject
        assert "Rafale n°99" in message.body
        assert "(les 30 plus récentes ci-dessus)" in message.body
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _mails_to(world["agent_b"]) == []  # an agent of B gets nothing about A
    assert _mails_to(world["daily_a"]) == [] and _mails_to(world["none_a"]) == []

    send_alerts(12)  # a rerun sends nothing twice
    assert len(_mails_to(world["agent_a"])) == 1


def test_nothing_is_sent_before_the_delay(world, publish, send_alerts):
    publish(world["point_a"])
    send_alerts(2)
    assert _mails_to(world["agent_a"]) == []
    send_alerts(11)
    assert len(_mails_to(world["agent_a"])) == 1


def test_a_later_experience_makes_a_new_alert_with_only_what_is_new(world, publish, send_alerts):
    [first] = publish(world["point_a"])
    send_alerts(11)
    with _later(12):
        [second] = publish(world["point_a"])
    send_alerts(15)  # its batch is due 10 minutes after it was published
    assert len(_mails_to(world["agent_a"])) == 1
    send_alerts(23)
    latest = _mails_to(world["agent_a"])[-1]
    assert len(_mails_to(world["agent_a"])) == 2
    assert "1 nouvelle expérience" in latest.subject
    assert first.title not in latest.body and second.title in latest.body


def test_agents_of_b_get_alerts_about_b_only(world, publish, send_alerts):
    publish(world["point_b"], 3)
    send_alerts(11)
    [message] = _mails_to(world["agent_b"])
    assert "3 nouvelles expériences" in message.subject
    assert _mails_to(world["agent_a"]) == [] and _mails_to(world["boss_a"]) == []


def test_one_click_unsubscribe_stops_the_alerts(world, publish, send_alerts):
    publish(world["point_a"])
    send_alerts(11)
    [message] = _mails_to(world["agent_a"])
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    path = link.removeprefix("http://127.0.0.1:8000")
    page = Client().get(path)
    assert "nouvelles expériences de vos organisations" in page.text
    response = Client(enforce_csrf_checks=True).post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    preferences = NotificationSettings.objects.get(user=world["agent_a"])
    assert preferences.agent_alerts == "none"
    assert preferences.service_frequency == "weekly"  # the other e-mails are untouched

    with _later(12):
        publish(world["point_a"])
    send_alerts(30)
    assert len(_mails_to(world["agent_a"])) == 1
    assert len(_mails_to(world["boss_a"])) == 2


def test_opening_batches_costs_the_same_queries_whatever_the_number_of_agents(
    world, django_assert_max_num_queries
):
    for _ in range(20):
        _agent(world["point_a"].organisation, "immediate")
    experience = ExperienceFactory(contact_point=world["point_a"], published=True)
    with django_assert_max_num_queries(8):
        assert actions.queue_agent_alerts(experience_id=experience.pk) == 22  # + agent, boss
    assert AgentAlertState.objects.filter(due_at__isnull=False).count() == 22


# Daily digests -------------------------------------------------------------------------------


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def send_digests(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    def run(day: dt.date) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", frequency="daily", date=day.isoformat())

    return run


def test_daily_digest_lists_yesterdays_experiences_and_is_sent_once(world, send_digests):
    yesterday = MONDAY - dt.timedelta(days=1)
    new = ExperienceFactory(
        contact_point=world["point_a"], published=True, published_at=_at(yesterday, 10)
    )
    today = ExperienceFactory(
        contact_point=world["point_a"], published=True, published_at=_at(MONDAY, 9)
    )
    elsewhere = ExperienceFactory(
        contact_point=world["point_b"], published=True, published_at=_at(yesterday, 11)
    )
    daily_b = _agent(world["point_b"].organisation.parent or world["point_b"].organisation)
    ExperienceFactory(contact_point=world["point_a"], published_at=_at(yesterday, 12))  # pending

    send_digests(MONDAY)
    send_digests(MONDAY)  # run twice: one e-mail

    [message] = _mails_to(world["daily_a"])
    assert new.title in message.body
    assert today.title not in message.body and elsewhere.title not in message.body
    assert "1 nouvelle expérience a été publiée" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [digest_b] = _mails_to(daily_b)
    assert elsewhere.title in digest_b.body and new.title not in digest_b.body
    # Agents who chose immediate or none get no digest.
    for name in ("agent_a", "boss_a", "none_a"):
        assert _mails_to(world[name]) == []
    assert DigestDelivery.objects.filter(user=world["daily_a"], scope="agent_alerts").count() == 1


def test_a_follower_who_is_an_agent_gets_both_digests(world, send_digests):
    agent = world["daily_a"]
    FollowFactory(user=agent, contact_point=world["point_b"])
    NotificationSettings.objects.update_or_create(
        user=agent, defaults={"service_frequency": "daily"}
    )
    yesterday = MONDAY - dt.timedelta(days=1)
    ExperienceFactory(
        contact_point=world["point_a"], published=True, published_at=_at(yesterday, 9)
    )
    ExperienceFactory(
        contact_point=world["point_b"], published=True, published_at=_at(yesterday, 9)
    )
    send_digests(MONDAY)
    assert len(_mails_to(agent)) == 2
    assert set(DigestDelivery.objects.filter(user=agent).values_list("scope", flat=True)) == {
        "services",
        "agent_alerts",
    }


# Preferences -----------------------------------------------------------------------------------


def test_agents_choose_their_alerts_on_the_preferences_page(client, world):
    agent = world["daily_a"]
    client.force_login(agent)
    page = client.get(reverse("follows:preferences"))
    assert 'name="agent_alerts"' in page.text
    response = client.post(
        reverse("follows:preferences"),
        {"service_frequency": "weekly", "experience_emails": "on", "agent_alerts": "immediate"},
    )
    assert response.status_code == 302
    assert NotificationSettings.objects.get(user=agent).agent_alerts == "immediate"
    bad = client.post(
        reverse("follows:preferences"),
        {"service_frequency": "weekly", "agent_alerts": "hourly"},
    )
    assert bad.status_code == 400


def test_citizens_have_no_agent_alert_setting(client):
    citizen = UserFactory()
    client.force_login(citizen)
    assert 'name="agent_alerts"' not in client.get(reverse("follows:preferences")).text
    client.post(
        reverse("follows:preferences"),
        {"service_frequency": "weekly", "agent_alerts": "immediate"},
    )
    assert NotificationSettings.objects.get(user=citizen).agent_alerts == "daily"  # ignored
