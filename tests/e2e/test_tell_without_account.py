"""Journey "tell without an account" in a real browser: form → mailbox → link → pending.

And its twin: what was typed survives a detour through the login page. axe-core checks each
new page (the form with its guest fields and with errors, "check your mailbox", confirmed,
link refused).
"""

import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from ecoute.experiences.models import Experience, ExperienceStatus, GuestSubmission
from tests.factories import ContactPointFactory, UserFactory

from .axe import assert_accessible
from .test_journey import RATINGS, _login, _tick, _wait_for_mail

pytestmark = pytest.mark.browser

TITLE = "Dossier perdu, personne ne répond"
STORY = (
    "J'ai envoyé mon dossier deux fois. Personne ne répond au 06 12 34 56 78, "
    "ni à mes courriels, depuis trois semaines."
)


def _fill_experience(form) -> None:
    form.get_by_label("Date de l'expérience").fill(timezone.localdate().isoformat())
    _tick(form.get_by_role("group", name="Par quel canal ?").get_by_label("Guichet"))
    _tick(
        form.get_by_role("group", name="Votre expérience est-elle plutôt").get_by_label("Négative")
    )
    for question, (_key, rating) in RATINGS.items():
        group = form.get_by_role("group", name=question, exact=True)
        _tick(group.locator(f'input[type="radio"][value="{rating}"]'))
    form.get_by_label("Titre").fill(TITLE)
    form.get_by_label("Votre récit").fill(STORY)


def test_tell_without_an_account(new_page, live_server, settings):
    contact_point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")
    settings.ECOUTE_SITE_URL = live_server.url  # links in e-mails point at the live server
    visitor = new_page()

    # The form, from the contact point page, without signing in.
    visitor.goto(contact_point.get_absolute_url())
    visitor.get_by_test_id("tell-experience").click()
    form = visitor.get_by_test_id("experience-form")
    expect(form.get_by_test_id("guest-fields")).to_be_visible()
    expect(visitor.get_by_test_id("account-intents")).to_be_visible()
    assert_accessible(visitor, "tell form without an account")

    # A bad postal code is a clear error; what was typed stays.
    _fill_experience(form)
    form.get_by_label("Adresse électronique").fill("Jeanne.Martin@example.org")
    form.get_by_label("Code postal").fill("7501")
    visitor.get_by_test_id("submit-experience").click()
    expect(visitor.get_by_text("Le code postal doit comporter 5 chiffres")).to_be_visible()
    expect(form.get_by_label("Titre")).to_have_value(TITLE)
    assert_accessible(visitor, "tell form with errors")
    assert GuestSubmission.objects.count() == 0

    form.get_by_label("Code postal").fill("01000")
    visitor.get_by_test_id("submit-experience").click()

    # "Check your mailbox": nothing is published or queued before the link is opened.
    expect(visitor.get_by_test_id("tell-sent")).to_contain_text("jeanne.martin@example.org")
    assert_accessible(visitor, "confirmation sent")
    assert Experience.objects.count() == 0
    _wait_for_mail(1)
    assert mail.outbox[0].to == ["jeanne.martin@example.org"]
    link = re.search(r"https?://\S+/experiences/confirmer/\S+/", mail.outbox[0].body).group(0)

    # The link: the experience waits for moderation, masked, without an author.
    visitor.goto(link)
    expect(visitor.get_by_test_id("guest-confirmed")).to_be_visible()
    expect(
        visitor.get_by_role("status").filter(has_text="1 donnée personnelle a été masquée")
    ).to_be_visible()
    assert_accessible(visitor, "experience confirmed")
    experience = Experience.objects.get()
    assert experience.status == ExperienceStatus.PENDING
    assert experience.author is None
    assert "06 12 34 56 78" not in experience.body

    # The same link again is refused with a clear message.
    visitor.goto(link)
    expect(visitor.get_by_test_id("guest-confirm-failed")).to_contain_text("déjà été utilisé")
    assert_accessible(visitor, "link already used")

    # The moderator finds it in the queue, without the address.
    moderator = UserFactory(moderator=True)
    moderation = new_page()
    _login(moderation, moderator.username)
    moderation.goto("/moderation/")
    expect(moderation.get_by_role("main")).to_contain_text(TITLE)
    expect(moderation.get_by_role("main")).not_to_contain_text("jeanne.martin")


def test_what_was_typed_survives_login(new_page, live_server):
    contact_point = ContactPointFactory()
    user = UserFactory()
    page = new_page()
    page.goto(contact_point.get_absolute_url())
    page.get_by_test_id("tell-experience").click()
    form = page.get_by_test_id("experience-form")
    _fill_experience(form)

    page.get_by_test_id("intent-login").click()
    expect(page.get_by_role("heading", name="Se connecter", level=1)).to_be_visible()
    page.get_by_label("Pseudonyme ou adresse électronique").fill(user.username)
    page.get_by_label("Mot de passe").fill("motdepasse-solide-42")
    page.get_by_test_id("login-submit").click()

    # Back on the form, signed in, with the story and the ratings.
    page.wait_for_url(re.compile(rf"/services/{contact_point.pk}/raconter/$"))
    form = page.get_by_test_id("experience-form")
    expect(form.get_by_label("Titre")).to_have_value(TITLE)
    expect(form.get_by_label("Votre récit")).to_have_value(STORY)
    expect(form.get_by_role("group", name="Délais", exact=True).get_by_label("1")).to_be_checked()
    expect(form.get_by_test_id("guest-fields")).to_have_count(0)
    assert_accessible(page, "tell form restored after login")
    page.get_by_test_id("submit-experience").click()
    page.wait_for_url(re.compile(r"/experiences/\d+/$"))
    assert Experience.objects.get().author == user


def test_what_was_typed_survives_franceconnect(new_page, live_server, settings):
    """FranceConnect in the browser, against the tests' OpenID Connect provider."""
    from tests.accounts.oidc_provider import OIDCProvider, configure_client

    provider = OIDCProvider().start()
    try:
        configure_client(settings, provider)
        settings.ECOUTE_SITE_URL = live_server.url
        contact_point = ContactPointFactory()
        page = new_page()

        page.goto("/compte/connexion/")
        expect(page.get_by_test_id("franceconnect")).to_be_visible()
        assert_accessible(page, "login page with FranceConnect")

        page.goto(contact_point.get_absolute_url())
        page.get_by_test_id("tell-experience").click()
        assert_accessible(page, "tell form with FranceConnect")
        _fill_experience(page.get_by_test_id("experience-form"))
        page.get_by_test_id("intent-franceconnect").get_by_role("button").click()

        page.wait_for_url(re.compile(rf"/services/{contact_point.pk}/raconter/$"))
        expect(page.get_by_test_id("header-profile")).to_contain_text("Usager-")
        expect(page.get_by_label("Titre")).to_have_value(TITLE)
        assert provider.authorize_requests[-1]["acr_values"] == "eidas1"

        # Logging out also ends the FranceConnect session, then comes back home.
        page.get_by_test_id("header-logout").click()
        page.wait_for_url(re.compile(r"/\?state="))
        expect(page.get_by_test_id("header-profile")).to_have_count(0)
        assert len(provider.logout_requests) == 1
    finally:
        provider.stop()
