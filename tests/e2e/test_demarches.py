"""Journey "Je donne mon avis": a visitor without JavaScript opens the feedback form from a
démarche's page (at 320 px), sends it empty (French errors), then with a comment holding an
e-mail address, and sees the thank-you page; a moderator publishes the comment from the one
moderation queue, and it shows, masked, on the démarche's page. axe-core checks every page,
and the observatory table and a moment de vie page too."""

import re

import pytest
from playwright.sync_api import expect

from ecoute.demarches.models import FeedbackComment
from ecoute.moderation.masking import EMAIL_MASK
from ecoute.moderation.models import ModerationItem
from tests.demarches.factories import DemarcheFactory, MomentDeVieFactory
from tests.factories import UserFactory

from .axe import assert_accessible
from .test_journey import _login, _tick

pytestmark = pytest.mark.browser

COMMENT = "La page de paiement expire. Écrivez-moi à jeanne.dupont@example.org si besoin."


def _check_pages_with_axe(page, demarche) -> None:
    """axe-core needs JavaScript: the same pages, in a JavaScript-enabled browser at 320 px."""
    page.set_viewport_size({"width": 320, "height": 900})
    for url, label in [
        ("/demarches/", "observatory table"),
        ("/moments-de-vie/je-demenage/", "moment de vie"),
        (demarche.get_absolute_url(), "démarche page"),
        (f"{demarche.get_absolute_url()}avis/", "feedback form"),
    ]:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, label)
    page.get_by_test_id("feedback-submit").click()
    expect(page.get_by_test_id("form-error-summary")).to_be_visible()
    assert_accessible(page, "feedback form with errors")
    page.goto(f"{demarche.get_absolute_url()}avis/merci/?commentaire=1")
    assert_accessible(page, "thank-you page")


def test_feedback_button_flow_without_javascript_then_moderated(browser, live_server, new_page):
    moment = MomentDeVieFactory(name="Je déménage", slug="je-demenage")
    demarche = DemarcheFactory(
        name="Déclarer ses revenus en ligne", slug="declarer-ses-revenus", administration="DGFiP"
    )
    demarche.moments.add(moment)
    moderator = UserFactory(moderator=True)
    _check_pages_with_axe(new_page(), demarche)

    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 320, "height": 900},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        # The observatory table, without reviews yet.
        page.goto("/demarches/")
        expect(page.get_by_test_id("row-declarer-ses-revenus")).to_contain_text(
            "pas encore assez d'avis (0 / 100)"
        )

        # 1. From the démarche's page, the button opens the form (a plain link).
        page.get_by_role("link", name="Déclarer ses revenus en ligne").click()
        page.get_by_test_id("feedback-button").click()
        page.wait_for_url(re.compile(r"/demarches/declarer-ses-revenus/avis/$"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Je donne mon avis")

        # 2. Sent empty: French errors, nothing stored.
        page.get_by_test_id("feedback-submit").click()
        expect(page.get_by_test_id("form-error-summary")).to_be_visible()
        expect(page.get_by_test_id("feedback-form")).to_contain_text(
            "Choisissez comment ça s'est passé."
        )
        assert not demarche.feedbacks.exists()

        # 3. Answered, with an e-mail address in the comment.
        form = page.get_by_test_id("feedback-form")
        _tick(form.locator('input[name="satisfaction"][value="moyen"]'))
        _tick(form.locator('input[name="clarity"][value="3"]'))
        _tick(form.locator('input[name="help"][value="pas-obtenue"]'))
        form.get_by_label("Souhaitez-vous nous en dire plus ?").fill(COMMENT)
        page.get_by_test_id("feedback-submit").click()
        page.wait_for_url(re.compile(r"/demarches/declarer-ses-revenus/avis/merci/"))
        expect(page.get_by_test_id("thanks-title")).to_have_text("Merci pour votre avis")
        expect(page.locator("body")).to_contain_text("1 donnée personnelle a été masquée")
    finally:
        context.close()

    comment = FeedbackComment.objects.get()
    assert EMAIL_MASK in comment.text and "jeanne.dupont" not in comment.text

    # 4. The moderator publishes the comment from the moderation queue.
    mod = new_page()
    _login(mod, moderator.username)
    item = ModerationItem.objects.get(kind="avis-demarche", object_id=comment.pk)
    mod.goto("/moderation/")
    expect(mod.get_by_test_id(f"item-{item.pk}")).to_contain_text("avis sur une démarche")
    mod.get_by_test_id(f"open-{item.pk}").click()
    mod.get_by_test_id("item-publish").click()
    expect(mod.get_by_test_id("item-state")).to_have_text("Publié")

    # 5. Published, masked, on the démarche's page.
    mod.goto(demarche.get_absolute_url())
    shown = mod.get_by_test_id(f"comment-{comment.pk}")
    expect(shown).to_contain_text(EMAIL_MASK)
    expect(shown).not_to_contain_text("jeanne.dupont")
    expect(mod.get_by_test_id("feedback-results")).to_contain_text("1 avis reçu")
    assert_accessible(mod, "démarche page with a published comment")
