"""Sign-up with an address that already has an account: the visitor sees the same "check your
inbox" page as anyone, the holder is told by e-mail and logs in from it."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def _wait_for_mail(count: int, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(mail.outbox) >= count, f"expected {count} e-mail(s), got {len(mail.outbox)}"


def test_signing_up_with_a_taken_address_reveals_nothing(new_page, live_server, settings):
    settings.ECOUTE_SITE_URL = live_server.url
    holder = UserFactory(username="Camille", email="camille@example.org")
    page = new_page()

    page.goto("/compte/inscription/")
    form = page.get_by_test_id("signup-form")
    form.get_by_label("Pseudonyme").fill("Une autre personne")
    form.get_by_label("Adresse électronique").fill("Camille@Example.org")
    form.get_by_label("Mot de passe").fill("un-mot-de-passe-solide")
    form.get_by_label("J'accepte la charte de participation").check(force=True)
    page.get_by_test_id("signup-submit").click()

    expect(page.get_by_role("heading", name="Vérifiez votre boîte de réception")).to_be_visible()
    expect(page.get_by_test_id("signup-done")).not_to_contain_text("existe")
    expect(page.get_by_test_id("header-login")).to_be_visible()  # not signed in
    assert_accessible(page, "sign-up done page")

    _wait_for_mail(1)
    assert mail.outbox[0].to == [holder.email]
    link = re.search(r"https?://\S+/compte/connexion/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_label("Pseudonyme ou adresse électronique").fill("camille@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("header-profile")).to_have_text("Camille")
