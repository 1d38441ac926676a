"""Browse and filter published experiences, then say "moi aussi", in a real browser.

At 1280 px with JavaScript (htmx swaps the results and the button) and at 320 px: axe-core
clean on the list (filtered, with tags) and on the experience page.
"""

import re

import pytest
from playwright.sync_api import expect

from ecoute.catalogue.models import Channel
from ecoute.experiences.models import MeToo
from tests.factories import (
    PASSWORD,
    ContactPointFactory,
    ExperienceFactory,
    MeTooFactory,
    UserFactory,
)

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 320])
def test_browse_filter_and_say_metoo(new_page, width):
    contact_point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")
    delayed = ExperienceFactory(
        contact_point=contact_point,
        channel=Channel.PHONE,
        title="Des retards de paiement en série",
        body="Trois mois de retard pour un dossier complet, aucun appel rendu.",
        published=True,
    )
    other = ExperienceFactory(
        contact_point=contact_point, title="Accueil rapide", sentiment="positive", published=True
    )
    MeTooFactory(experience=other)
    user = UserFactory()

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/experiences/")
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"2 expériences"))
    assert_accessible(page, f"experience list {width}px")

    form = page.get_by_test_id("browse-form")
    form.get_by_label("Rechercher dans les récits").fill("retard")
    form.get_by_label("Canal").select_option("telephone")
    form.get_by_test_id("browse-submit").click()
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"1 expérience\b"))
    expect(page.get_by_test_id(f"experience-{delayed.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"experience-{other.pk}")).to_have_count(0)
    page.wait_for_url(re.compile(r"q=retard"))
    tags = page.get_by_test_id("filter-tag")
    expect(tags).to_have_count(2)
    assert_accessible(page, f"filtered list {width}px")

    # Removing the "Canal" tag keeps the search.
    page.get_by_role("link", name=re.compile("Canal : Téléphone")).click()
    expect(page.get_by_test_id("filter-tag")).to_have_count(1)
    expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"1 expérience\b"))

    # A visitor is asked to log in, and comes back to the experience.
    page.get_by_role("link", name=delayed.title).click()
    page.get_by_test_id("metoo-login").click()
    page.get_by_label("Pseudonyme ou adresse électronique").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(re.compile(rf"/experiences/{delayed.pk}/$"))
    button = page.get_by_test_id(f"metoo-{delayed.pk}").get_by_test_id("metoo-button")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    metoo = page.get_by_test_id(f"metoo-{delayed.pk}")
    expect(metoo.get_by_test_id("metoo-button")).to_have_attribute("aria-pressed", "true")
    expect(metoo.get_by_test_id("metoo-count")).to_contain_text("1 personne a vécu la même chose")
    assert MeToo.objects.filter(user=user, experience=delayed).count() == 1
    assert_accessible(page, f"experience page {width}px")
    # Click again: taken back.
    metoo.get_by_test_id("metoo-button").click()
    expect(metoo.get_by_test_id("metoo-button")).to_have_attribute("aria-pressed", "false")
    expect(metoo.get_by_test_id("metoo-count")).to_contain_text("Personne n'a encore dit")
    assert not MeToo.objects.filter(user=user).exists()


def test_metoo_and_filters_without_javascript(browser, live_server):
    experience = ExperienceFactory(title="Des retards de paiement", published=True)
    user = UserFactory()
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto("/experiences/")
        page.get_by_label("Rechercher dans les récits").fill("retards")
        page.get_by_test_id("browse-submit").click()
        expect(page.get_by_test_id("result-count")).to_have_text(re.compile(r"1 expérience\b"))
        _login(page, user.username)
        page.goto(experience.get_absolute_url())
        page.get_by_test_id("metoo-button").click()
        page.wait_for_url(re.compile(rf"/experiences/{experience.pk}/$"))
        expect(page.get_by_test_id("metoo-button")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("metoo-count")).to_contain_text("1 personne")
    finally:
        context.close()
