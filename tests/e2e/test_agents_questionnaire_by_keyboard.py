"""Journey "Accueillir le public : vos conditions de travail", the agents-only demo
questionnaire: a visitor and an usager are told it is for agents (axe-core clean); an agent
answers every section with the keyboard alone and without JavaScript (Tab, Space, arrows,
typing, Enter), is refused a fourth difficulty, corrects it and sends."""

import pytest
from playwright.sync_api import expect

from ecoute.questionnaires.models import Response, ResponseState
from ecoute.questionnaires.seed import AGENTS, load_seed_questionnaire
from tests.factories import AgentMembershipFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


@pytest.fixture
def agents_seed():
    return load_seed_questionnaire(spec=AGENTS)


def _url(questionnaire) -> str:
    return f"/consultations/{questionnaire.consultation.slug}/questionnaires/{questionnaire.pk}/"


def _tab_to(page, selector: str) -> None:
    """Press Tab until the focused element matches `selector` (the keyboard user's way)."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _label_selector(page, question: str, label: str) -> str:
    control_id = page.get_by_test_id(question).get_by_label(label, exact=True).get_attribute("id")
    return f"#{control_id}"


def _press_on(page, selector: str, *keys: str) -> None:
    _tab_to(page, selector)
    for key in keys:
        page.keyboard.press(key)


def _submit_with_enter(page, action: str) -> None:
    _tab_to(page, f'button[name="action"][value="{action}"]')
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_visitor_and_usager_are_told_it_is_for_agents(new_page, agents_seed):
    page = new_page()
    page.goto(f"/consultations/{agents_seed.consultation.slug}/")
    expect(page.get_by_test_id("refusal")).to_contain_text("votre compte agent")
    assert_accessible(page, "agents' consultation, anonymous")
    _login(page, UserFactory(username="usagere").username)
    page.goto(_url(agents_seed))
    expect(page.get_by_test_id("refusal")).to_contain_text("réservée aux agents publics")
    assert_accessible(page, "agents' questionnaire, usager")


def test_agent_answers_by_keyboard_without_javascript(browser, live_server, agents_seed):
    agent = AgentMembershipFactory(user__username="agente").user
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        _login(page, agent.username)
        page.goto(_url(agents_seed))
        expect(page).to_have_title(f"{agents_seed.title}, section 1 sur 3 — Écoute")

        # Section 1: two ways of receiving the public (Space), a mark of 7 (arrows).
        _press_on(page, _label_selector(page, "question-1", "Au guichet"), "Space")
        _press_on(page, _label_selector(page, "question-1", "Par téléphone"), "Space")
        _press_on(page, 'input[type="radio"]', *["ArrowRight"] * 7)
        expect(page.get_by_test_id("question-2").get_by_label("7", exact=True)).to_be_checked()
        _submit_with_enter(page, "suivant")
        expect(page.get_by_test_id("progress")).to_contain_text("Section 2 sur 3")

        # Section 2: four difficulties are one too many.
        for label in (
            "Des outils informatiques inadaptés",
            "Le manque de temps pour chaque usager",
            "Des règles trop complexes à expliquer",
            "Des incivilités",
        ):
            _press_on(page, _label_selector(page, "question-3", label), "Space")
        _press_on(page, _label_selector(page, "question-4", "Oui"), "Space")
        _tab_to(page, "textarea")
        page.keyboard.type("Un collègue disponible et une salle au calme.")
        _submit_with_enter(page, "suivant")
        expect(page.get_by_test_id("form-error-summary")).to_contain_text(
            "3 réponses au maximum : vous en avez coché 4."
        )
        expect(page).to_have_title(f"Erreur : {agents_seed.title}, section 2 sur 3 — Écoute")
        _press_on(page, _label_selector(page, "question-3", "Des incivilités"), "Space")
        _submit_with_enter(page, "suivant")
        expect(page.get_by_test_id("progress")).to_contain_text("Section 3 sur 3")

        # Section 3: a rank for each lever (arrows on each select), a proposal, send.
        for rank, select in enumerate(page.locator('select[name*="-rang-"]').all(), start=1):
            _press_on(page, f'select[name="{select.get_attribute("name")}"]', *["ArrowDown"] * rank)
        _tab_to(page, "textarea")
        page.keyboard.type("Un seul formulaire pour les aides au logement.")
        _submit_with_enter(page, "envoyer")
        expect(page.get_by_test_id("confirmation")).to_contain_text("Merci")
    finally:
        context.close()

    response = Response.objects.get(account=agent)
    assert response.state == ResponseState.SUBMITTED
    assert response.answers.count() == 7
