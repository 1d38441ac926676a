"""Passwords are hashed with Argon2; PBKDF2 hashes from before still work and are upgraded."""

import pytest
from django.contrib.auth.hashers import make_password

from config.settings import base
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_argon2_is_the_hasher_of_every_profile_but_tests():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS[1:]


@pytest.mark.parametrize("login_url", ["/compte/connexion/", "/admin/login/"])
def test_login_upgrades_a_pbkdf2_hash_to_argon2(client, settings, login_url):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = UserFactory(username="Camille", is_staff=True)
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = client.post(login_url, {"username": "Camille", "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_new_passwords_are_hashed_with_argon2(client, settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    user = UserFactory()
    assert user.password.startswith("argon2$argon2id$")
