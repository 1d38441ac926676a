"""E-mails to followers: immediate ones, digests (contents, idempotence), one-click unsubscribe."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoute.experiences import actions as experience_actions
from ecoute.follows import actions
from ecoute.follows.models import DigestDelivery, NotificationSettings
from ecoute.follows.tokens import Scope, make_token
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    ContactPointFactory,
    ExperienceFactory,
    FollowFactory,
    NotificationSettingsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _mails_to(user):  # noqa: ANN001, ANN202
    return [message for message in mail.outbox if message.to == [user.email]]


def _unsubscribe_link(message) -> str:  # noqa: ANN001
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return header[1:-1]


def _answer(experience) -> None:  # noqa: ANN001
    agent = AgentMembershipFactory(organisation=experience.contact_point.organisation).user
    experience_actions.answer_experience(
        author=agent,
        experience=experience,
        body="Nous avons renforcé l'accueil du lundi.",
        follow_up=experience.answers.exists(),  # the service's later answers are follow-ups
    )


# Immediate e-mails -------------------------------------------------------------------------


def test_followers_of_an_experience_get_an_email_when_it_is_answered(
    django_capture_on_commit_callbacks,
):
    experience = ExperienceFactory(published=True)
    follower = FollowFactory(contact_point=None, experience=experience).user
    opted_out = FollowFactory(contact_point=None, experience=experience).user
    NotificationSettingsFactory(user=opted_out, experience_emails=False)
    unconfirmed = UserFactory(unconfirmed=True)
    FollowFactory(user=unconfirmed, contact_point=None, experience=experience)

    with django_capture_on_commit_callbacks(execute=True):
        _answer(experience)

    [message] = _mails_to(follower)
    assert experience.title in message.body
    assert experience.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _unsubscribe_link(message) in message.body
    assert _mails_to(opted_out) == []
    assert _mails_to(unconfirmed) == []
    # The author gets experiences' own e-mail, not a second one from follows.
    assert len(_mails_to(experience.author)) == 1


def test_service_followers_choosing_immediate_get_new_publications(
    django_capture_on_commit_callbacks,
):
    contact_point = ContactPointFactory()
    immediate = FollowFactory(contact_point=contact_point).user
    NotificationSettingsFactory(user=immediate, service_frequency="immediate")
    weekly = FollowFactory(contact_point=contact_point).user  # default: weekly digest
    moderator = UserFactory(moderator=True)
    experience = ExperienceFactory(contact_point=contact_point)

    with django_capture_on_commit_callbacks(execute=True):
        experience_actions.publish_experience(actor=moderator, experience=experience)

    [message] = _mails_to(immediate)
    assert contact_point.name in message.body
    assert "Nouvelle expérience publiée" in message.subject
    assert _mails_to(weekly) == []


def test_hiding_sends_nothing_to_followers(django_capture_on_commit_callbacks):
    experience = ExperienceFactory(published=True)
    follower = FollowFactory(contact_point=None, experience=experience).user
    with django_capture_on_commit_callbacks(execute=True):
        experience_actions.hide_experience(
            actor=UserFactory(moderator=True), experience=experience, reason="Hors sujet"
        )
    assert _mails_to(follower) == []


def test_following_both_the_experience_and_its_service_sends_one_email(
    django_capture_on_commit_callbacks,
):
    experience = ExperienceFactory(published=True)
    user = UserFactory()
    NotificationSettingsFactory(user=user, service_frequency="immediate")
    FollowFactory(user=user, contact_point=experience.contact_point)
    FollowFactory(user=user, contact_point=None, experience=experience)
    with django_capture_on_commit_callbacks(execute=True):
        _answer(experience)
    assert len(_mails_to(user)) == 1


# Unsubscribe -------------------------------------------------------------------------------


def test_one_click_unsubscribe_from_an_email_without_login_or_csrf(
    django_capture_on_commit_callbacks,
):
    experience = ExperienceFactory(published=True)
    follower = FollowFactory(contact_point=None, experience=experience).user
    with django_capture_on_commit_callbacks(execute=True):
        _answer(experience)
    [message] = _mails_to(follower)
    link = _unsubscribe_link(message).removeprefix("http://127.0.0.1:8000")
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click", no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert 'data-testid="unsubscribe-done"' in response.content.decode()
    assert NotificationSettings.objects.get(user=follower).experience_emails is False
    # The follow itself stays; the next answer sends nothing.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _answer(experience)
    assert _mails_to(follower) == []


def test_unsubscribe_page_asks_before_unsubscribing(client):
    user = UserFactory()
    NotificationSettingsFactory(user=user, service_frequency="daily")
    url = reverse("follows:unsubscribe", args=[make_token(user_id=user.pk, scope=Scope.SERVICES)])
    response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="unsubscribe-confirm"' in response.content.decode()
    assert client.head(url).status_code == 200
    assert NotificationSettings.objects.get(user=user).service_frequency == "daily"
    client.post(url)
    settings = NotificationSettings.objects.get(user=user)
    assert (settings.service_frequency, settings.experience_emails) == ("none", True)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature changed
        lambda token: token.replace(token.split(":")[0], "eyJ1Ijo5OTk5LCJzIjoic2VydmljZXMifQ"),
        lambda token: "garbage",
        lambda token: make_token(user_id=987654, scope=Scope.SERVICES),  # no such account
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_unsubscribe_token_is_a_400_with_a_message(client, mangle, method):
    user = UserFactory()
    token = mangle(make_token(user_id=user.pk, scope=Scope.EXPERIENCES))
    response = getattr(client, method)(reverse("follows:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "Ce lien de désabonnement n&#x27;est pas valide" in response.content.decode()
    assert not NotificationSettings.objects.exists()


# Digests -----------------------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 30)


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def send_digests(django_capture_on_commit_callbacks):  # noqa: ANN001, ANN201
    """Run the command as the scheduler would; e-mails go out after each digest's commit."""

    def run(frequency: str, day: dt.date) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_digests", frequency=frequency, date=day.isoformat())

    return run


def _published_on(contact_point, when: dt.datetime):  # noqa: ANN001, ANN202
    return ExperienceFactory(contact_point=contact_point, published=True, published_at=when)


def _answered_on(experience, when: dt.datetime):  # noqa: ANN001, ANN202
    answer = AnswerFactory(experience=experience)
    type(answer).objects.filter(pk=answer.pk).update(created_at=when)
    return answer


def test_daily_digest_lists_yesterdays_publications_and_answers_of_followed_services(send_digests):
    followed, other = ContactPointFactory(), ContactPointFactory()
    user = FollowFactory(contact_point=followed).user
    NotificationSettingsFactory(user=user, service_frequency="daily")
    yesterday = MONDAY - dt.timedelta(days=1)
    new = _published_on(followed, _at(yesterday, 10))
    too_old = _published_on(followed, _at(yesterday - dt.timedelta(days=1), 10))
    today = _published_on(followed, _at(MONDAY, 9))
    elsewhere = _published_on(other, _at(yesterday, 11))
    answered = _answered_on(too_old, _at(yesterday, 15))
    _answered_on(elsewhere, _at(yesterday, 16))

    send_digests("daily", MONDAY)

    [message] = _mails_to(user)
    assert new.title in message.body
    assert answered.experience.title in message.body  # through its answer
    assert today.title not in message.body
    assert elsewhere.title not in message.body
    assert "1 nouvelle expérience publiée" in message.body
    assert "1 nouvelle réponse" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    delivery = DigestDelivery.objects.get(user=user)
    assert (delivery.experience_count, delivery.answer_count) == (1, 1)
    # Its one-click link stops the digests (and only them).
    Client(enforce_csrf_checks=True).post(
        _unsubscribe_link(message).removeprefix("http://127.0.0.1:8000")
    )
    preferences = NotificationSettings.objects.get(user=user)
    assert (preferences.service_frequency, preferences.experience_emails) == ("none", True)
    assert delivery.period_start == yesterday
    assert delivery.sent_at is not None


def test_digest_is_never_sent_twice_for_the_same_period(send_digests):
    contact_point = ContactPointFactory()
    user = FollowFactory(contact_point=contact_point).user
    _published_on(contact_point, _at(MONDAY - dt.timedelta(days=3), 10))  # last week

    send_digests("weekly", MONDAY)
    send_digests("weekly", MONDAY)
    send_digests("weekly", (MONDAY + dt.timedelta(days=2)))
    # A worker running a task twice (retry) must not send either.
    period = actions.digest_period(frequency="weekly", today=MONDAY)
    assert actions.deliver_digest(user=user, period=period) is None

    assert len(_mails_to(user)) == 1
    assert DigestDelivery.objects.filter(user=user).count() == 1


def test_digest_covers_what_happened_since_the_last_digest(send_digests):
    contact_point = ContactPointFactory()
    user = FollowFactory(contact_point=contact_point).user
    NotificationSettingsFactory(user=user, service_frequency="daily")
    first = _published_on(contact_point, _at(MONDAY - dt.timedelta(days=1), 10))
    send_digests("daily", MONDAY)
    # Tuesday's and Wednesday's runs are missed; Thursday's covers Monday to Wednesday.
    missed = _published_on(contact_point, _at(MONDAY, 12))
    latest = _published_on(contact_point, _at(MONDAY + dt.timedelta(days=2), 12))
    mail.outbox.clear()
    send_digests("daily", (MONDAY + dt.timedelta(days=3)))
    [message] = _mails_to(user)
    assert missed.title in message.body and latest.title in message.body
    assert first.title not in message.body


def test_nothing_new_records_the_period_and_sends_nothing(send_digests):
    user = FollowFactory().user
    send_digests("weekly", MONDAY)
    assert _mails_to(user) == []
    delivery = DigestDelivery.objects.get(user=user)
    assert delivery.sent_at is None


def test_only_accounts_choosing_that_frequency_get_a_digest(send_digests):
    contact_point = ContactPointFactory()
    _published_on(contact_point, _at(MONDAY - dt.timedelta(days=1), 10))
    daily, weekly, none, immediate = (
        FollowFactory(contact_point=contact_point).user for _ in "1234"
    )
    NotificationSettingsFactory(user=daily, service_frequency="daily")
    NotificationSettingsFactory(user=none, service_frequency="none")
    NotificationSettingsFactory(user=immediate, service_frequency="immediate")
    not_following = UserFactory()
    NotificationSettingsFactory(user=not_following, service_frequency="daily")

    send_digests("daily", MONDAY)

    assert [m.to for m in mail.outbox] == [[daily.email]]
    assert weekly  # weekly default: its digest is next Monday's weekly run


def test_weekly_period_is_last_monday_to_sunday():
    period = actions.digest_period(frequency="weekly", today=dt.date(2026, 12, 3))  # Thursday
    assert period.start_date == MONDAY - dt.timedelta(days=7)
    assert period.end.date() == MONDAY


@pytest.mark.parametrize(
    "options", [{"frequency": "daily", "date": "2026-13-01"}, {"frequency": "daily", "date": "x"}]
)
def test_send_digests_rejects_a_bad_date(options):
    with pytest.raises(CommandError, match="date invalide"):
        call_command("send_digests", **options)


def test_send_digests_rejects_an_unknown_frequency():
    with pytest.raises(CommandError):
        call_command("send_digests", frequency="hourly")


def test_a_failing_listener_never_fails_the_action(django_capture_on_commit_callbacks, caplog):
    from ecoute.experiences.signals import experience_event

    def broken(**kwargs: object) -> None:
        raise RuntimeError("SMTP down")

    experience = ExperienceFactory()
    experience_event.connect(broken, dispatch_uid="test.broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            experience_actions.publish_experience(
                actor=UserFactory(moderator=True), experience=experience
            )
    finally:
        experience_event.disconnect(dispatch_uid="test.broken")
    experience.refresh_from_db()
    assert experience.status == "published"
    assert "SMTP down" in caplog.text
    assert len(_mails_to(experience.author)) == 1
