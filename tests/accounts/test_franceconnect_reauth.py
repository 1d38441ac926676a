"""Accounts created through FranceConnect have no password: "change address" and "delete my
account" ask for a FranceConnect login in this session within the last 10 minutes instead
(real redirect flow against the provider of tests/accounts/oidc_provider.py)."""

import time

import pytest
from django.core import mail
from django.urls import reverse

from ecoute.accounts.models import ExternalIdentity, User
from ecoute.accounts.oidc import REAUTH_MAX_AGE, REAUTH_SESSION_KEY
from tests.factories import PASSWORD, ExperienceFactory, UserFactory

from .oidc_provider import OIDCProvider, configure_client
from .test_franceconnect import logged_in_user, login

pytestmark = pytest.mark.django_db

DELETE = reverse("accounts:delete_account")
CHANGE_EMAIL = reverse("accounts:change_email")


@pytest.fixture
def franceconnect(settings):
    provider = OIDCProvider().start()
    configure_client(settings, provider)
    yield provider
    provider.stop()


@pytest.fixture
def fc_user(client, franceconnect) -> User:
    """Signed in through FranceConnect (no password), then the login grows old."""
    login(client)
    user = logged_in_user(client)
    assert user is not None and not user.has_usable_password()
    _age_login(client, REAUTH_MAX_AGE + 1)
    return user


def _age_login(client, seconds: float) -> None:
    session = client.session
    session[REAUTH_SESSION_KEY]["at"] -= seconds
    session.save()


def test_without_a_fresh_login_the_pages_send_to_franceconnect(client, fc_user):
    for url in (DELETE, CHANGE_EMAIL):
        page = client.get(url).content.decode()
        assert 'data-testid="reauthenticate"' in page
        assert 'name="password"' not in page
        assert f'action="{reverse("franceconnect:login")}"' in page
        assert f'name="next" value="{url}"' in page
    refused = client.post(DELETE, {"contributions": "remove"})
    assert refused.status_code == 400
    assert "reconnectez-vous avec FranceConnect" in refused.content.decode()
    refused = client.post(CHANGE_EMAIL, {"new_email": "autre@example.org"})
    assert refused.status_code == 400
    assert User.objects.filter(pk=fc_user.pk).exists()
    assert not mail.outbox


def test_a_fresh_franceconnect_login_confirms_the_deletion(
    client, fc_user, django_capture_on_commit_callbacks
):
    mine = ExperienceFactory(author=fc_user)
    back = login(client, next_url=DELETE)
    assert back["Location"] == DELETE
    page = client.get(DELETE).content.decode()
    assert 'data-testid="delete-account-form"' in page and 'name="password"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"contributions": "remove"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=fc_user.pk).exists()
    assert not ExternalIdentity.objects.exists()
    assert not type(mine).objects.filter(pk=mine.pk).exists()


def test_a_fresh_franceconnect_login_allows_the_address_change(
    client, fc_user, django_capture_on_commit_callbacks
):
    login(client, next_url=CHANGE_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CHANGE_EMAIL, {"new_email": "nouvelle@example.org"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nouvelle@example.org"]


def test_the_fresh_login_lasts_ten_minutes(client, fc_user):
    login(client, next_url=DELETE)
    _age_login(client, REAUTH_MAX_AGE - 30)
    assert 'data-testid="delete-account-form"' in client.get(DELETE).content.decode()
    _age_login(client, 60)
    assert 'data-testid="reauthenticate"' in client.get(DELETE).content.decode()


def test_the_fresh_login_is_of_this_account_only(client, franceconnect):
    login(client)
    session = client.session
    session[REAUTH_SESSION_KEY] = {"user": UserFactory().pk, "at": time.time()}
    session.save()
    assert 'data-testid="reauthenticate"' in client.get(DELETE).content.decode()


def test_accounts_with_a_password_still_give_it(client, franceconnect):
    """A FranceConnect login does not replace the password of an account that has one."""
    user = UserFactory(email="jeanne.martin@example.org")
    login(client, next_url=DELETE)
    assert logged_in_user(client) == user
    page = client.get(DELETE).content.decode()
    assert 'name="password"' in page and 'data-testid="reauthenticate"' not in page
    response = client.post(DELETE, {"contributions": "remove"})
    assert response.status_code == 400
    assert User.objects.filter(pk=user.pk).exists()
    response = client.post(DELETE, {"contributions": "remove", "password": PASSWORD})
    assert response.status_code == 302
