"""Retention: `manage.py purge_personal_data` deletes what has outlived its configured period
(time travel through the actions' `now=`), keeps the rest, and is idempotent."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ecoute.accounts.models import User
from ecoute.experiences.models import Experience, GuestSubmission
from ecoute.experiences.retention import purge_personal_data
from tests.factories import ExperienceFactory, GuestSubmissionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _confirmed_guest(confirmed_at: dt.datetime) -> GuestSubmission:
    experience = ExperienceFactory(author=None, published=True)
    return GuestSubmissionFactory(
        experience=experience, confirmed_at=confirmed_at, draft={}, fingerprint="f" * 64
    )


def test_every_purge_after_its_period_and_not_before(settings):
    settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS = 7
    settings.ECOUTE_GUEST_CONFIRMATION_HOURS = 48
    settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS = 365
    start = timezone.now()
    unconfirmed = UserFactory(unconfirmed=True, date_joined=start)
    confirmed = UserFactory(date_joined=start - dt.timedelta(days=30))
    waiting = GuestSubmissionFactory()
    GuestSubmission.objects.filter(pk=waiting.pk).update(created_at=start)
    guest = _confirmed_guest(start)
    session = SessionStore()
    session["draft"] = "texte tapé avant de se connecter"
    session.set_expiry(start + dt.timedelta(days=14))
    session.create()

    # One day later: everything is still within its period.
    assert purge_personal_data(now=start + dt.timedelta(days=1)) == {
        "unconfirmed_accounts": 0,
        "unconfirmed_guest_experiences": 0,
        "guest_contacts": 0,
        "expired_sessions": 0,
    }
    # Three days: the unconfirmed guest submission's link (48 h) has expired.
    assert (
        purge_personal_data(now=start + dt.timedelta(days=3))["unconfirmed_guest_experiences"] == 1
    )
    assert not GuestSubmission.objects.filter(pk=waiting.pk).exists()
    # Eight days: the unconfirmed account (7 days).
    assert purge_personal_data(now=start + dt.timedelta(days=8))["unconfirmed_accounts"] == 1
    assert not User.objects.filter(pk=unconfirmed.pk).exists()
    # Fifteen days: the session has expired.
    assert purge_personal_data(now=start + dt.timedelta(days=15))["expired_sessions"] == 1
    assert not Session.objects.exists()
    # A year and a day: the confirmed guest's address goes, the experience stays.
    result = purge_personal_data(now=start + dt.timedelta(days=366))
    assert result["guest_contacts"] == 1
    assert not GuestSubmission.objects.filter(pk=guest.pk).exists()
    assert Experience.objects.filter(pk=guest.experience_id, author=None).exists()
    # Idempotent: nothing left to purge; the confirmed account is kept.
    assert set(purge_personal_data(now=start + dt.timedelta(days=400)).values()) == {0}
    assert User.objects.filter(pk=confirmed.pk).exists()


def test_the_period_is_read_from_the_settings(settings):
    guest = _confirmed_guest(timezone.now() - dt.timedelta(days=40))
    settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS = 60
    assert purge_personal_data()["guest_contacts"] == 0
    settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS = 30
    assert purge_personal_data()["guest_contacts"] == 1
    assert not GuestSubmission.objects.filter(pk=guest.pk).exists()


def test_an_experience_whose_guest_contact_was_purged_notifies_nobody(
    settings, mailoutbox, django_capture_on_commit_callbacks
):
    from ecoute.experiences.tasks import send_experience_notification

    guest = _confirmed_guest(timezone.now() - dt.timedelta(days=400))
    purge_personal_data()
    send_experience_notification.call(experience_id=guest.experience_id, event="answered")
    assert mailoutbox == []


def test_the_command_reports_each_purge_and_runs_twice_harmlessly():
    UserFactory(unconfirmed=True, date_joined=timezone.now() - dt.timedelta(days=30))
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "1 compte(s) jamais confirmé(s) supprimé(s)." in out.getvalue()
    out = StringIO()
    call_command("purge_personal_data", stdout=out)
    assert "0 compte(s) jamais confirmé(s) supprimé(s)." in out.getvalue()


def test_the_personal_data_page_states_the_configured_periods(client: Client, settings):
    settings.ECOUTE_UNCONFIRMED_ACCOUNT_DAYS = 12
    settings.ECOUTE_GUEST_CONTACT_RETENTION_DAYS = 180
    settings.ECOUTE_GUEST_CONFIRMATION_HOURS = 72
    page = client.get(reverse("ui:personal_data")).text
    assert "supprimé 12 jours après l'inscription" in page
    assert "180 jours après la confirmation" in page
    assert "au bout de 72 heures" in page
