"""The intent survives: "Raconter" → log in or sign up → back on the form with what was typed."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.urls import reverse

from ecoute.experiences.drafts import SESSION_KEY
from ecoute.experiences.models import Experience
from tests.factories import PASSWORD, ContactPointFactory, UserFactory, experience_form_data

pytestmark = pytest.mark.django_db

TITLE = "Personne au téléphone pendant trois jours"
BODY = "J'ai appelé douze fois le numéro unique, toujours la même musique d'attente."


@pytest.fixture
def contact_point():
    return ContactPointFactory()


def typed(**overrides: str) -> dict[str, str]:
    """What a visitor typed before choosing to use an account (no e-mail yet)."""
    return experience_form_data(title=TITLE, body=BODY, rating_delays="3") | overrides


def tell_url(contact_point) -> str:
    return reverse("experiences:tell", args=[contact_point.pk])


def assert_form_restored(response) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound  # restored as initial values: no error shown yet
    assert form.initial["title"] == TITLE
    assert form.initial["body"] == BODY
    assert form.initial["rating_delays"] == "3"
    page = response.content.decode()
    assert 'value="Personne au téléphone pendant trois jours"' in page
    assert "toujours la même musique d&#x27;attente." in page
    assert re.search(r'<input[^>]*name="rating_delays"[^>]*value="3"[^>]*checked', page)


def test_login_keeps_what_was_typed(client, contact_point):
    user = UserFactory()
    response = client.post(tell_url(contact_point), typed(intent="login", email="x@example.org"))
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('accounts:login')}?{urlencode({'next': tell_url(contact_point)})}"
    )
    # Kept server-side, without the e-mail address typed in the guest fields.
    draft = client.session[SESSION_KEY]
    assert draft["contact_point"] == contact_point.pk
    assert draft["data"]["title"] == TITLE
    assert "email" not in draft["data"] and "intent" not in draft["data"]
    assert Experience.objects.count() == 0

    response = client.post(
        response["Location"],
        {"username": user.username, "password": PASSWORD, "next": tell_url(contact_point)},
    )
    assert response.status_code == 302
    assert response["Location"] == tell_url(contact_point)
    assert_form_restored(client.get(tell_url(contact_point)))

    # Restored once, then cleared.
    assert SESSION_KEY not in client.session
    assert client.get(tell_url(contact_point)).context["form"].initial == {}

    # Sent as it is: it becomes the account's experience.
    response = client.post(tell_url(contact_point), typed())
    assert response.status_code == 302
    assert Experience.objects.get().author == user


def test_signup_keeps_it_until_the_address_is_confirmed(
    client, contact_point, django_capture_on_commit_callbacks
):
    response = client.post(tell_url(contact_point), typed(intent="signup"))
    assert response.status_code == 302
    signup_url = response["Location"]
    assert signup_url.startswith(reverse("accounts:signup"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url,
            {
                "pseudonym": "Jeanne B",
                "email": "jeanne@example.org",
                "password": "un-mot-de-passe-solide",
                "accept_charter": "on",
            },
        )
    # Sign-up answers the same whether the address is new or not (it reveals no account):
    # "check your messages", then the confirmation link leads back to the form.
    assert response["Location"].startswith(reverse("accounts:signup_done"))

    # Not confirmed yet: not signed in, and the draft is still kept.
    assert "_auth_user_id" not in client.session
    assert SESSION_KEY in client.session

    link = re.search(r"http://\S+/compte/confirmer/\S+/", mail.outbox[0].body).group(0)
    client.get(link.replace("http://127.0.0.1:8000", ""))
    assert_form_restored(client.get(tell_url(contact_point)))


def test_draft_of_another_contact_point_is_not_restored(client, contact_point):
    other = ContactPointFactory()
    client.post(tell_url(contact_point), typed(intent="login"))
    client.force_login(UserFactory())
    assert client.get(tell_url(other)).context["form"].initial == {}
    assert_form_restored(client.get(tell_url(contact_point)))


def test_anonymous_visitor_coming_back_finds_the_draft(client, contact_point):
    client.post(tell_url(contact_point), typed(intent="signup"))
    assert_form_restored(client.get(tell_url(contact_point)))


def test_draft_keeps_only_form_fields_and_bounded_values(client, contact_point):
    client.post(
        tell_url(contact_point),
        typed(intent="login", body="x" * 50_000, is_moderator="1", postal_code="75011"),
    )
    data = client.session[SESSION_KEY]["data"]
    assert len(data["body"]) == 10_000
    assert "is_moderator" not in data and "postal_code" not in data


def test_unknown_intent_is_an_ordinary_submission(client, contact_point):
    response = client.post(tell_url(contact_point), typed(intent="admin"))
    assert response.status_code == 400  # no e-mail/postal code: guest form errors
    assert SESSION_KEY not in client.session


def test_franceconnect_intent_is_ignored_while_not_configured(client, contact_point):
    response = client.post(tell_url(contact_point), typed(intent="franceconnect"))
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_signed_in_user_intent_is_ignored(client, contact_point):
    client.force_login(UserFactory())
    response = client.post(tell_url(contact_point), typed(intent="login"))
    assert response.status_code == 302
    assert Experience.objects.count() == 1
