import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from ecoute.accounts.actions import CONFIRMATION_SALT, make_confirmation_token
from ecoute.accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "pseudonym": "Camille",
    "email": "camille@example.org",
    "password": "un-mot-de-passe-solide",
    "accept_charter": "on",
}


def test_signup_sends_a_confirmation_link_that_confirms(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(username="Camille")
    assert user.email_confirmed_at is None
    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    user.refresh_from_db()
    assert user.has_confirmed_email


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"pseudonym": "camille"}, "Ce pseudonyme est déjà pris."),
        ({"password": "1234567890"}, "Ce mot de passe est entièrement numérique."),
        ({"password": "court"}, "Ce mot de passe est trop court."),
        ({"accept_charter": ""}, "Ce champ est obligatoire."),
        ({"pseudonym": "<b>x</b>"}, "Lettres, chiffres"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
    ],
)
def test_signup_errors(client, overrides, message):
    UserFactory(username="Camille", email="camille@example.org")
    response = client.post(reverse("accounts:signup"), {**SIGNUP, **overrides})
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert User.objects.count() == 1


def test_tampered_or_expired_confirmation_is_a_clear_400(client, settings):
    user = UserFactory(unconfirmed=True)
    token = make_confirmation_token(user)
    response = client.get(reverse("accounts:confirm_email", args=[token[:-2] + "xx"]))
    assert response.status_code == 400
    assert "n&#x27;est pas valide" in response.content.decode()
    expired = signing.dumps({"u": user.pk, "e": user.email}, salt=CONFIRMATION_SALT)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=4_000_000_000):
        response = client.get(reverse("accounts:confirm_email", args=[expired]))
    assert response.status_code == 400
    assert "a expiré" in response.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed_at is None


@pytest.mark.parametrize("identifier", ["Camille", "camille", "camille@example.org"])
def test_login_with_pseudonym_or_email(client, identifier):
    UserFactory(username="Camille", email="camille@example.org")
    response = client.post(
        reverse("accounts:login"), {"username": identifier, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_wrong_password_is_a_french_error(client):
    UserFactory(username="Camille")
    response = client.post(reverse("accounts:login"), {"username": "Camille", "password": "non"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect." in response.content.decode()


def test_login_attempts_are_rate_limited(client):
    UserFactory(username="Camille")
    statuses = [
        client.post(reverse("accounts:login"), {"username": "Camille", "password": "x"}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]


def test_signup_is_rate_limited(client):
    for index in range(10):
        client.post(
            reverse("accounts:signup"),
            {**SIGNUP, "pseudonym": f"p{index}xx", "email": f"{index}@x.fr"},
        )
    client.logout()
    response = client.post(reverse("accounts:signup"), SIGNUP)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()


def test_resend_confirmation_does_not_reveal_accounts(client):
    UserFactory(email="known@example.org", unconfirmed=True)
    first = client.post(reverse("accounts:resend_confirmation"), {"email": "known@example.org"})
    second = client.post(reverse("accounts:resend_confirmation"), {"email": "nobody@example.org"})
    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 1


def test_profile_requires_login_and_links_every_section(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    for name in [
        "experiences:my_contributions",
        "accounts:password_change",
        "accounts:change_email",
        "accounts:export_data",
        "accounts:delete_account",
    ]:
        assert f'href="{reverse(name)}"' in page, name


def test_logout_is_post_only(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_signup_next_cannot_redirect_off_site(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup") + "?next=https://evil.example/", SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:signup_done")
    assert "evil" not in mail.outbox[0].body
    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link + "?next=https://evil.example/")
    assert response["Location"] == reverse("accounts:login")
