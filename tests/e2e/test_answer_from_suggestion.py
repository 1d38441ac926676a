"""Journey "an agent answers from a suggested draft": from the experience, the writing page
shows the answers given to similar experiences and the templates; the agent uses a suggestion,
edits it, previews, publishes; then manages a template. axe-core on each new page."""

import pytest
from playwright.sync_api import expect

from ecoute.answering.suggestions import clear_cache
from ecoute.experiences.models import Answer
from tests.factories import (
    AgentMembershipFactory,
    AnswerFactory,
    AnswerTemplateFactory,
    ContactPointFactory,
    ExperienceFactory,
)

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


def test_an_agent_answers_from_a_suggested_draft(new_page, live_server):
    clear_cache()
    point = ContactPointFactory(name="Accueil CAF de Bourg-en-Bresse")
    organisation = point.organisation
    experience = ExperienceFactory(
        contact_point=point,
        published=True,
        title="Prime d'activité bloquée",
        body="Mon dossier de prime d'activité est bloqué depuis trois mois sans versement.",
    )
    similar = ExperienceFactory(
        contact_point=point,
        published=True,
        title="Versement de prime d'activité en retard",
        body="Ma prime d'activité n'est pas versée, le dossier est bloqué depuis deux mois.",
    )
    given = AnswerFactory(
        experience=similar,
        organisation=organisation,
        body="Votre dossier de prime d'activité a été débloqué ; le versement suit.",
    )
    template = AnswerTemplateFactory(organisation=organisation, title="Délai de traitement")
    agent = AgentMembershipFactory(organisation=organisation).user
    page = new_page()
    _login(page, agent.username)

    page.goto(live_server.url + experience.get_absolute_url())
    page.get_by_test_id("answer-aid").click()
    expect(page.get_by_test_id(f"suggestion-{given.pk}")).to_contain_text("débloqué")
    expect(page.get_by_test_id(f"compose-template-{template.pk}")).to_be_visible()
    assert_accessible(page, "answer writing page")

    page.get_by_test_id(f"use-suggestion-{given.pk}").click()
    body = page.get_by_label("Réponse publique du service")
    expect(body).to_have_value(given.body)
    body.fill(given.body + " Merci de votre patience.")
    page.get_by_test_id("preview-answer").click()
    expect(page.get_by_test_id("answer-preview")).to_contain_text("Merci de votre patience")
    assert not Answer.objects.filter(experience=experience).exists()
    page.get_by_test_id("publish-answer").click()
    expect(page.get_by_role("status").filter(has_text="Votre réponse est publiée")).to_be_visible()
    answer = Answer.objects.get(experience=experience)
    assert answer.body.endswith("Merci de votre patience.")

    # The templates page: the organisation's templates, editable by its agents.
    page.get_by_test_id("nav-answer-templates").click()
    expect(page.get_by_test_id(f"template-{template.pk}")).to_be_visible()
    assert_accessible(page, "answer templates")
    page.get_by_test_id("new-template").click()
    page.get_by_label("Titre").fill("Remerciement")
    page.get_by_label("Famille").select_option("remerciement")
    page.get_by_label("Texte du modèle").fill(
        "Merci {pseudonyme} pour votre message sur {service}."
    )
    assert_accessible(page, "new answer template")
    page.get_by_test_id("save-template").click()
    expect(page.get_by_role("status").filter(has_text="Le modèle est enregistré")).to_be_visible()
