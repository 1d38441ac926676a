"""Journey "an agent answers": preview (what will be masked is highlighted), publish, edit with
a public history; in Debian's chromium, axe-core on each new page."""

import pytest
from playwright.sync_api import expect

from ecoute.experiences.models import Answer
from tests.factories import AgentMembershipFactory, ContactPointFactory, ExperienceFactory

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


def test_an_agent_previews_publishes_and_edits_an_answer(new_page, live_server):
    point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse", phone="04 74 45 12 34")
    experience = ExperienceFactory(contact_point=point, published=True, title="Dossier perdu")
    agent = AgentMembershipFactory(organisation=point.organisation).user
    page = new_page()
    _login(page, agent.username)

    page.goto(live_server.url + experience.get_absolute_url())
    page.get_by_label("Réponse publique du service").fill(
        "Appelez-nous au 04 74 45 12 34 ; ne contactez pas le 06 12 34 56 78 de M. Dupont."
    )
    page.get_by_test_id("preview-answer").click()

    # The preview: the service's number stays, the third party's number and name are
    # highlighted as masked.
    preview = page.get_by_test_id("answer-preview")
    expect(preview).to_contain_text("04 74 45 12 34")
    expect(preview.locator("mark.ecoute-masked")).to_have_text(
        ["[téléphone masqué]", "[nom masqué]"]
    )
    expect(page.get_by_test_id("preview-masked-count")).to_be_visible()
    assert not Answer.objects.exists()
    assert_accessible(page, "answer preview")

    page.get_by_test_id("publish-answer").click()
    answer = Answer.objects.get()
    expect(page.get_by_test_id(f"answer-{answer.pk}")).to_contain_text("[téléphone masqué]")
    expect(page.get_by_role("status").filter(has_text="Votre réponse est publiée")).to_be_visible()
    # Now the form offers a complement, not a second official answer.
    expect(page.get_by_test_id("complement-help")).to_be_visible()

    # Edit: the form, a preview, then the new version is published and the history shown.
    page.get_by_test_id(f"edit-answer-{answer.pk}").click()
    assert_accessible(page, "edit answer form")
    page.get_by_label("Réponse publique du service").fill(
        "Appelez-nous au 04 74 45 12 34 du lundi au vendredi, de 9 h à 16 h."
    )
    page.get_by_test_id("preview-answer").click()
    expect(page.get_by_test_id("preview-nothing-masked")).to_be_visible()
    page.get_by_test_id("publish-answer").click()
    expect(page.get_by_test_id(f"answer-edited-{answer.pk}")).to_contain_text("modifiée le")
    page.get_by_test_id(f"answer-history-{answer.pk}").click()
    versions = page.get_by_test_id("answer-revisions").locator("li")
    expect(versions).to_have_count(2)
    expect(versions.first).to_contain_text("du lundi au vendredi")
    expect(versions.last).to_contain_text("[téléphone masqué]")
    assert_accessible(page, "answer history")
    assert answer.revisions.count() == 2
