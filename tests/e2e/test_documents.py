"""Journey "complex document": a usager sends a letter she cannot understand from the service's
page, an agent of the direction above the agency answers with a simplified version, moderation
publishes it, and a visitor reads the answer and the simplified version beside the difficulty,
never the original. axe-core checks every new page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoute.documents.models import Document, DocumentStatus
from ecoute.moderation.masking import PHONE_MASK
from tests.documents.samples import pdf_bytes, png_bytes
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    OrganisationFactory,
    UserFactory,
)

from .axe import assert_accessible
from .test_journey import _login, _wait_for_mail

pytestmark = pytest.mark.browser

TITLE = "Courrier de demande de pièces complémentaires"
DIFFICULTY = (
    "Le courrier parle de « justificatif de ressources N-2 » et de « quotient familial » : "
    "je ne sais pas quoi envoyer. Mon téléphone : 06 12 34 56 78."
)
ANSWER = (
    "Merci : nous avons réécrit ce courrier, il sera envoyé sous cette forme dès le mois prochain."
)
SIMPLIFIED = "Envoyez-nous votre avis d'impôt de l'an dernier. C'est tout."


def test_complex_document_journey(new_page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    settings.ECOUTE_SITE_URL = live_server.url
    direction = OrganisationFactory(name="Direction départementale de l'Ain")
    agency = OrganisationFactory(name="Agence CAF de Bourg", parent=direction)
    contact_point = ContactPointFactory(organisation=agency, name="Accueil CAF de Bourg")
    jeanne = UserFactory(username="jeanne")
    agent = AgentMembershipFactory(organisation=direction).user
    moderator = UserFactory(moderator=True)

    # 1. From the service page, Jeanne sends the letter and says what is hard.
    page = new_page()
    _login(page, jeanne.username)
    page.goto(contact_point.get_absolute_url())
    page.get_by_test_id("submit-document-link").click()
    form = page.get_by_test_id("document-form")
    expect(form).to_be_visible()
    assert_accessible(page, "document form")
    form.get_by_label("Titre").fill(TITLE)
    form.get_by_label("Qu'est-ce qui est difficile ?").fill(DIFFICULTY)
    # A web page renamed .pdf first: refused with a clear message.
    form.get_by_label("Le document").set_input_files(
        {"name": "courrier.pdf", "mimeType": "application/pdf", "buffer": b"<html>hello</html>"}
    )
    page.get_by_test_id("submit-document").click()
    expect(page.get_by_text("ni un PDF, ni une image")).to_be_visible()
    assert_accessible(page, "document form with an error")
    assert not Document.objects.exists()
    form.get_by_label("Le document").set_input_files(
        {"name": "courrier.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_test_id("submit-document").click()
    page.wait_for_url(re.compile(r"/documents/\d+/$"))
    document = Document.objects.get()
    assert document.organisation == agency and document.status == DocumentStatus.PENDING
    expect(page.get_by_test_id("status-pending")).to_be_visible()
    expect(page.get_by_test_id("document-difficulty")).to_contain_text(PHONE_MASK)
    expect(page.get_by_test_id("document-difficulty")).not_to_contain_text("06 12 34 56 78")
    expect(page.get_by_test_id("download-original")).to_be_visible()
    assert_accessible(page, "document page (submitter)")

    # A visitor sees nothing yet.
    visitor = new_page()
    assert visitor.goto(document.get_absolute_url()).status == 404
    assert visitor.goto(f"/documents/{document.pk}/original/").status == 404

    # 2. The agent of the direction finds it in their queue, opens the original, answers.
    agent_page = new_page()
    _login(agent_page, agent.username)
    agent_page.get_by_test_id("nav-agent").click()
    agent_page.get_by_test_id("agent-documents-link").click()
    queue = agent_page.get_by_test_id("agent-documents")
    expect(queue.get_by_role("link", name=TITLE)).to_be_visible()
    assert_accessible(agent_page, "agent document queue")
    queue.get_by_role("link", name=TITLE).click()
    with agent_page.expect_download() as download:
        agent_page.get_by_test_id("download-original").click()
    assert download.value.suggested_filename == f"document-{document.pk}.pdf"
    with open(download.value.path(), "rb") as handle:
        assert handle.read() == pdf_bytes()
    answer_form = agent_page.get_by_test_id("document-answer-form")
    answer_form.get_by_label("Réponse publique du service").fill(ANSWER)
    answer_form.get_by_label("Version simplifiée (texte)").fill(SIMPLIFIED)
    answer_form.get_by_label("Version simplifiée (fichier)").set_input_files(
        {"name": "courrier-simple.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    assert_accessible(agent_page, "document page (agent, answer form)")
    agent_page.get_by_test_id("submit-document-answer").click()
    expect(agent_page.get_by_role("status").filter(has_text="l'usager est prévenu")).to_be_visible()
    expect(agent_page.get_by_test_id("document-answer")).to_contain_text(
        "Réponse de Direction départementale de l'Ain"
    )
    _wait_for_mail(1)
    assert mail.outbox[-1].to == [jeanne.email]
    assert document.get_absolute_url() in mail.outbox[-1].body

    # 3. Moderation publishes the public part.
    moderation = new_page()
    _login(moderation, moderator.username)
    moderation.goto("/moderation/")
    moderation.get_by_test_id("moderation-documents-link").click()
    expect(moderation.get_by_test_id(f"moderation-document-{document.pk}")).to_contain_text(TITLE)
    assert_accessible(moderation, "document moderation queue")
    moderation.get_by_test_id(f"publish-document-{document.pk}").click()
    expect(moderation.get_by_role("status").filter(has_text="Document publié.")).to_be_visible()
    expect(moderation.get_by_test_id("queue-empty")).to_be_visible()

    # 4. Any visitor reads the difficulty with the answer and the simplified version beside it.
    visitor.goto("/documents/")
    assert_accessible(visitor, "public document list")
    visitor.get_by_test_id("document-list").get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_test_id("document-title")).to_have_text(TITLE)
    expect(visitor.get_by_test_id("simplified-text")).to_have_text(SIMPLIFIED)
    expect(visitor.get_by_test_id("document-answer")).to_contain_text(ANSWER)
    expect(visitor.get_by_test_id("download-original")).to_have_count(0)
    with visitor.expect_download() as download:
        visitor.get_by_test_id("download-simplified").click()
    assert download.value.suggested_filename == f"version-simplifiee-{document.pk}.png"
    assert_accessible(visitor, "public document page")
    assert visitor.goto(f"/documents/{document.pk}/original/").status == 404
