"""FranceConnect through the real OpenID Connect redirect flow, against a provider started by
the tests on 127.0.0.1 (tests/accounts/oidc_provider.py)."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.db import IntegrityError
from django.urls import reverse

from ecoute.accounts.models import ExternalIdentity, IdentityProvider, User
from ecoute.experiences.drafts import SESSION_KEY as DRAFT_KEY
from tests.factories import (
    PASSWORD,
    ContactPointFactory,
    ExternalIdentityFactory,
    UserFactory,
    experience_form_data,
)

from .oidc_provider import CLIENT_ID, CLIENT_SECRET, OIDCProvider, configure_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    provider = OIDCProvider().start()
    yield provider
    provider.stop()


@pytest.fixture
def franceconnect(settings, provider):
    configure_client(settings, provider)
    return provider


def start_login(client, next_url: str = "/compte/"):
    """Our login URL → the provider's authorize URL → back to our callback (path + query)."""
    response = client.get(reverse("franceconnect:login"), {"next": next_url})
    assert response.status_code == 302
    authorize = response["Location"]
    answer = requests.get(authorize, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    callback = urlsplit(answer.headers["Location"])
    assert callback.netloc == "testserver"
    return f"{callback.path}?{callback.query}"


def login(client, next_url: str = "/compte/"):
    return client.get(start_login(client, next_url))


def logged_in_user(client) -> User | None:
    pk = client.session.get(SESSION_KEY)
    return User.objects.get(pk=pk) if pk else None


def test_off_without_configuration(client):
    assert client.get(reverse("franceconnect:login")).status_code == 404
    assert client.get(reverse("franceconnect:callback")).status_code == 404
    for name in ("accounts:login", "accounts:signup"):
        assert 'data-testid="franceconnect"' not in client.get(reverse(name)).content.decode()
    # Password logins still work with the FranceConnect backend listed.
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_button_shown_when_configured(client, franceconnect):
    for name in ("accounts:login", "accounts:signup"):
        page = client.get(reverse(name), {"next": "/experiences/"}).content.decode()
        assert 'data-testid="franceconnect"' in page
        assert 'class="fr-connect"' in page
        assert f'action="{reverse("franceconnect:login")}"' in page
        assert 'name="next" value="/experiences/"' in page


def test_first_login_creates_an_account(client, franceconnect):
    response = login(client, next_url="/experiences/")
    assert response.status_code == 302
    assert response["Location"] == "/experiences/"

    request = franceconnect.authorize_requests[-1]
    assert request["client_id"] == CLIENT_ID
    assert request["acr_values"] == "eidas1"
    assert set(request["scope"].split()) >= {"openid", "email"}
    assert request["state"] and request["nonce"]

    user = logged_in_user(client)
    assert user is not None
    assert user.email == "jeanne.martin@example.org"
    assert user.has_confirmed_email  # FranceConnect vouches for it
    assert user.username.startswith("Usager-")  # the civil name is never the pseudonym
    assert "Jeanne" not in user.username
    assert not user.has_usable_password()
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.provider, identity.subject) == (
        user,
        IdentityProvider.FRANCECONNECT,
        "fc-sub-jeanne",
    )


def test_next_login_finds_the_account_by_sub(client, franceconnect):
    login(client)
    first = logged_in_user(client)
    client.logout()
    franceconnect.user["email"] = "nouvelle.adresse@example.org"  # changed at the provider
    login(client)
    assert logged_in_user(client) == first
    assert User.objects.count() == 1


def test_links_an_existing_account_by_email(client, franceconnect):
    existing = UserFactory(email="Jeanne.Martin@example.org")
    login(client)
    assert logged_in_user(client) == existing
    assert ExternalIdentity.objects.get().user == existing
    existing.refresh_from_db()
    assert existing.has_usable_password()  # a confirmed account keeps its password


def test_linking_an_unconfirmed_account_drops_its_password(client, franceconnect):
    # Whoever chose that password never proved owning the address.
    squatted = UserFactory(email="jeanne.martin@example.org", unconfirmed=True)
    login(client)
    squatted.refresh_from_db()
    assert logged_in_user(client) == squatted
    assert squatted.has_confirmed_email
    assert not squatted.has_usable_password()


def test_unverified_email_matching_an_account_is_refused(client, franceconnect):
    UserFactory(email="jeanne.martin@example.org")
    franceconnect.user["email_verified"] = False
    response = login(client)
    assert response.status_code == 400
    assert "connectez-vous avec votre mot de passe" in response.content.decode()
    assert logged_in_user(client) is None
    assert ExternalIdentity.objects.count() == 0


def test_account_already_linked_to_another_identity_is_refused(client, franceconnect):
    ExternalIdentityFactory(user=UserFactory(email="jeanne.martin@example.org"), subject="other")
    response = login(client)
    assert response.status_code == 400
    assert "déjà lié" in response.content.decode()
    assert logged_in_user(client) is None


def test_userinfo_as_signed_jwt(client, franceconnect):
    franceconnect.tamper["userinfo_jwt"] = True
    assert login(client).status_code == 302
    assert logged_in_user(client).email == "jeanne.martin@example.org"


@pytest.mark.parametrize(
    "tamper",
    [
        {"nonce": "not-the-nonce-we-sent"},
        {"aud": "another-client"},
        {"iss": "https://attacker.example"},
        {"exp": 1_000_000_000},  # expired in 2001
        {"foreign_key": True},  # signed by a key the provider does not publish
        {"userinfo_sub": "someone-else"},
    ],
    ids=["nonce", "audience", "issuer", "expired", "signature", "userinfo-sub"],
)
def test_bad_id_token_is_a_clear_400(client, franceconnect, tamper):
    franceconnect.tamper = tamper
    response = login(client)
    assert response.status_code == 400
    assert 'data-testid="franceconnect-failed"' in response.content.decode()
    assert logged_in_user(client) is None
    assert User.objects.count() == 0


def test_wrong_state_is_a_clear_400(client, franceconnect):
    callback = start_login(client)
    query = parse_qs(urlsplit(callback).query)
    response = client.get(
        reverse("franceconnect:callback"), {"code": query["code"][0], "state": "forged-state"}
    )
    assert response.status_code == 400
    assert "ne correspond pas à votre demande" in response.content.decode()
    assert logged_in_user(client) is None


def test_replayed_callback_is_a_clear_400(client, franceconnect):
    callback = start_login(client)
    assert client.get(callback).status_code == 302
    client.logout()
    response = client.get(callback)
    assert response.status_code == 400
    assert logged_in_user(client) is None


def test_callback_in_another_browser_is_a_clear_400(client, franceconnect):
    # The state lives in the session of the browser that started the login.
    from django.test import Client

    callback = start_login(client)
    response = Client().get(callback)
    assert response.status_code == 400
    assert "session a expiré" in response.content.decode()


def test_refused_at_the_provider_is_a_clear_400(client, franceconnect):
    franceconnect.tamper["deny"] = True
    response = login(client)
    assert response.status_code == 400
    assert "annulée" in response.content.decode()


def test_callback_without_parameters_is_a_clear_400(client, franceconnect):
    assert client.get(reverse("franceconnect:callback")).status_code == 400


def test_provider_down_is_a_clear_502(client, franceconnect):
    callback = start_login(client)
    franceconnect.stop()
    response = client.get(callback)
    assert response.status_code == 502
    assert "FranceConnect ne répond pas" in response.content.decode()


def test_open_redirect_in_next_is_ignored(client, franceconnect):
    response = login(client, next_url="https://attacker.example/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_logout_also_ends_the_provider_session(client, franceconnect):
    login(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{franceconnect.url}/logout"
    query = parse_qs(target.query)
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:8000/"]
    assert logged_in_user(client) is None
    answer = requests.get(response["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    assert franceconnect.logout_requests[-1]["id_token_hint"] == query["id_token_hint"][0]


def test_password_user_logout_stays_local(client, franceconnect):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == "/"
    assert logged_in_user(client) is None
    assert client.get(reverse("accounts:logout")).status_code == 405


def test_draft_survives_franceconnect(client, franceconnect):
    contact_point = ContactPointFactory()
    tell_url = reverse("experiences:tell", args=[contact_point.pk])
    page = client.get(tell_url).content.decode()
    assert 'data-testid="intent-franceconnect"' in page
    response = client.post(
        tell_url, experience_form_data(title="Dossier égaré", intent="franceconnect")
    )
    assert response.status_code == 302
    login_path = urlsplit(response["Location"])
    assert login_path.path == reverse("franceconnect:login")
    assert parse_qs(login_path.query)["next"] == [tell_url]
    assert DRAFT_KEY in client.session

    response = client.get(start_login(client, next_url=tell_url))
    assert response["Location"] == tell_url
    response = client.get(tell_url)
    assert response.context["form"].initial["title"] == "Dossier égaré"
    assert 'name="email"' not in response.content.decode()  # signed in now


def test_one_account_per_identity_in_the_database():
    identity = ExternalIdentityFactory()
    with pytest.raises(IntegrityError):
        ExternalIdentityFactory(subject=identity.subject)


def test_one_identity_per_account_and_provider_in_the_database():
    identity = ExternalIdentityFactory()
    with pytest.raises(IntegrityError):
        ExternalIdentityFactory(user=identity.user)


def test_forms_may_lead_to_the_provider_only_when_configured(client, settings, provider):
    # Browsers check form-action on the redirects after a form: login and logout forms go to
    # the provider, so its origin must be allowed, and only while FranceConnect is on.
    def form_action(path: str) -> str:
        policy = client.get(path)["Content-Security-Policy"]
        return next(part for part in policy.split("; ") if part.startswith("form-action"))

    assert form_action("/") == "form-action 'self'"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = "https://logout.provider.example/session/end"
    for path in ("/", reverse("accounts:login")):
        assert form_action(path) == (
            f"form-action 'self' {provider.url} https://logout.provider.example"
        )
