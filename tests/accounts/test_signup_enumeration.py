"""Sign-up does not tell whether an address has an account: same answer, and the holder of the
address is told by e-mail. A pseudonym is public, so a taken one is still reported."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ecoute.accounts import actions
from ecoute.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "pseudonym": "Nouvelle Venue",
    "email": "camille@example.org",
    "password": "un-mot-de-passe-solide",
    "accept_charter": "on",
}


def sign_up(client, capture, **overrides):
    with capture(execute=True):
        return client.post(reverse("accounts:signup"), {**SIGNUP, **overrides}, follow=True)


def visible_text(response) -> str:
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S).group(0)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)).strip()


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="Camille", email="camille@example.org")

    taken = sign_up(client, django_capture_on_commit_callbacks)
    client.cookies.clear()
    free = sign_up(
        client, django_capture_on_commit_callbacks, pseudonym="Autre", email="autre@example.org"
    )

    assert taken.redirect_chain == free.redirect_chain == [(reverse("accounts:signup_done"), 302)]
    assert taken.status_code == free.status_code == 200
    assert visible_text(taken) == visible_text(free)
    assert "Vérifiez votre boîte de réception" in visible_text(free)
    assert not taken.wsgi_request.user.is_authenticated
    assert not free.wsgi_request.user.is_authenticated
    assert "Un compte existe" not in taken.content.decode()


@pytest.mark.parametrize("spelling", ["camille@example.org", " CAMILLE@Example.ORG "])
def test_the_holder_of_the_address_is_told_and_nothing_is_created(
    client, django_capture_on_commit_callbacks, spelling
):
    holder = UserFactory(username="Camille", email="camille@example.org")

    sign_up(client, django_capture_on_commit_callbacks, email=spelling)

    assert User.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[holder.email]]
    message = mail.outbox[0]
    assert message.subject == "Vous avez déjà un compte sur Écoute"
    assert "Bonjour Camille" in message.body
    assert "aucun nouveau compte n'a été créé" in message.body
    assert f"{settings.ECOUTE_SITE_URL}/compte/connexion/" in message.body
    assert "/compte/confirmer/" not in message.body  # the address is already confirmed


def test_an_unconfirmed_holder_also_gets_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    holder = UserFactory(email="camille@example.org", unconfirmed=True)

    sign_up(client, django_capture_on_commit_callbacks)

    link = re.search(r"/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    assert client.get(link).status_code == 302
    holder.refresh_from_db()
    assert holder.has_confirmed_email


def test_a_new_address_gets_an_account_to_confirm_then_to_log_into(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup") + "?next=/experiences/", SIGNUP)

    assert response["Location"] == reverse("accounts:signup_done")
    user = User.objects.get(username="Nouvelle Venue")
    assert not user.has_confirmed_email
    assert "_auth_user_id" not in client.session
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]
    link = re.search(r"https?://[^/\s]+(/compte/confirmer/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link)
    assert response["Location"] == reverse("accounts:login") + "?next=%2Fexperiences%2F"
    response = client.post(
        response["Location"], {"username": "camille@example.org", "password": SIGNUP["password"]}
    )
    assert response["Location"] == "/experiences/"


def test_a_taken_pseudonym_is_still_reported(client, django_capture_on_commit_callbacks):
    UserFactory(username="Nouvelle Venue")
    response = sign_up(client, django_capture_on_commit_callbacks, email="libre@example.org")
    assert response.redirect_chain == []
    assert "Ce pseudonyme est déjà pris." in response.content.decode()
    assert mail.outbox == []


def test_a_pseudonym_taken_meanwhile_is_a_form_error_not_a_crash():
    UserFactory(username="Nouvelle Venue")
    with pytest.raises(ValidationError) as error:
        actions.sign_up(pseudonym="nouvelle venue", email="libre@example.org", password="x" * 12)
    assert error.value.message_dict == {"pseudonym": ["Ce pseudonyme est déjà pris."]}


def test_the_done_page_answers_get_and_head(client):
    assert client.get(reverse("accounts:signup_done")).status_code == 200
    assert client.head(reverse("accounts:signup_done")).status_code == 200
