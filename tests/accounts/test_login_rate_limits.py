"""Login rate limits: the same buckets on the site's login and the admin's, per client address
and per account (whatever identifier names it), failures only."""

import pytest
from django.urls import reverse

from ecoute.accounts.ratelimits import LOGIN_IP_FAILURE_RATE
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SITE_LOGIN = "/compte/connexion/"
ADMIN_LOGIN = "/admin/login/"


WRONG = "mauvais-mot-de-passe"
IP_LIMIT = int(LOGIN_IP_FAILURE_RATE.split("/")[0])


def attempt(client, url, username, password=WRONG, ip="192.0.2.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_urls_are_the_login_pages():
    assert reverse("accounts:login") == SITE_LOGIN
    assert reverse("admin:login") == ADMIN_LOGIN


def test_admin_login_is_rate_limited_and_refuses_even_the_right_password(client):
    UserFactory(username="admin", is_staff=True, is_superuser=True)
    statuses = [attempt(client, ADMIN_LOGIN, "admin").status_code for _ in range(25)]
    assert statuses == [200] * 10 + [429] * 15
    response = attempt(client, ADMIN_LOGIN, "admin", PASSWORD)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_and_site_logins_share_their_buckets(client):
    UserFactory(username="Camille", is_staff=True)
    for index in range(10):
        url = ADMIN_LOGIN if index % 2 else SITE_LOGIN
        assert attempt(client, url, "Camille").status_code == 200
    assert attempt(client, SITE_LOGIN, "Camille", PASSWORD).status_code == 429
    assert attempt(client, ADMIN_LOGIN, "Camille", PASSWORD).status_code == 429


@pytest.mark.parametrize("url", [SITE_LOGIN, ADMIN_LOGIN])
@pytest.mark.parametrize(
    "other_identifier",
    ["camille", "CAMILLE", " Camille ", "camille@example.org", "CAMILLE@Example.ORG"],
)
def test_every_identifier_of_an_account_shares_its_failures(client, url, other_identifier):
    UserFactory(username="Camille", email="camille@example.org", is_staff=True)
    for index in range(10):  # from ten addresses: only the per-account limit applies
        assert attempt(client, url, "Camille", ip=f"192.0.2.{index}").status_code == 200
    response = attempt(client, url, other_identifier, PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429


def test_unknown_identifiers_are_normalised_too(client):
    for index in range(10):
        assert attempt(client, SITE_LOGIN, "Personne", ip=f"192.0.2.{index}").status_code == 200
    for spelling in ["personne", "PERSONNE", "  Personne", "Personne"]:
        assert attempt(client, SITE_LOGIN, spelling, ip="198.51.100.7").status_code == 429


def test_successful_logins_do_not_count_against_the_account(client):
    UserFactory(username="Camille")
    for index in range(12):
        response = attempt(client, SITE_LOGIN, "Camille", PASSWORD, ip=f"192.0.2.{index}")
        assert response.status_code == 302
        client.logout()
    for index in range(9):
        assert attempt(client, SITE_LOGIN, "Camille", ip=f"198.51.100.{index}").status_code == 200
    assert attempt(client, SITE_LOGIN, "Camille", PASSWORD, ip="203.0.113.1").status_code == 302


def test_other_accounts_keep_their_tries(client):
    UserFactory(username="Camille")
    UserFactory(username="Dominique")
    for index in range(10):
        attempt(client, SITE_LOGIN, "Camille", ip=f"192.0.2.{index}")
    assert attempt(client, SITE_LOGIN, "Dominique", PASSWORD, ip="198.51.100.1").status_code == 302


def test_one_address_is_limited_across_accounts(client):
    statuses = [
        attempt(client, SITE_LOGIN, f"compte{index}").status_code for index in range(IP_LIMIT + 1)
    ]
    assert statuses == [200] * IP_LIMIT + [429]


def test_many_people_logging_in_from_one_address_are_not_locked_out(client):
    """A France services counter: dozens of successful logins from one address in an hour,
    then a few typos, and the next person still gets in."""
    users = UserFactory.create_batch(IP_LIMIT + 5)
    for user in users:
        assert attempt(client, SITE_LOGIN, user.username, PASSWORD).status_code == 302
        client.logout()
    for user in users[:3]:
        assert attempt(client, SITE_LOGIN, user.username).status_code == 200
    assert attempt(client, SITE_LOGIN, users[-1].username, PASSWORD).status_code == 302


def test_a_forged_forwarded_header_does_not_give_fresh_tries(client, settings):
    settings.TRUSTED_PROXIES = []
    statuses = [
        client.post(
            SITE_LOGIN,
            {"username": f"compte{index}", "password": "x"},
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{index}",
        ).status_code
        for index in range(IP_LIMIT + 1)
    ]
    assert statuses[-1] == 429


def test_behind_a_trusted_proxy_each_client_has_its_own_bucket(client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    def via_proxy(client_ip, index):
        return client.post(
            SITE_LOGIN,
            {"username": f"compte{index}", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"{client_ip}, 10.0.0.9",
        ).status_code

    statuses = [via_proxy("198.51.100.1", index) for index in range(IP_LIMIT + 1)]
    assert statuses == [200] * IP_LIMIT + [429]
    assert via_proxy("198.51.100.2", 99) == 200


def test_rate_limits_can_be_switched_off(client, settings):
    settings.RATELIMIT_ENABLE = False
    UserFactory(username="Camille")
    for _ in range(12):
        attempt(client, SITE_LOGIN, "Camille")
    assert attempt(client, SITE_LOGIN, "Camille", PASSWORD).status_code == 302
