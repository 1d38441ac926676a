"""Journey "remontées agents": an agent raises a difficulty, a moderator publishes it from the
one moderation queue, an agent of another organisation of the network says "moi aussi", a
manager sets "à l'étude" (the author is e-mailed) and writes a public summary, which a
visitor reads once moderated. axe-core checks every new page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from ecoute.moderation.masking import PHONE_MASK
from ecoute.moderation.models import ModerationItem
from ecoute.remontees.models import PublicSummary, Remontee, Status
from tests.factories import AgentMembershipFactory, NetworkFactory, OrganisationFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login, _tick, _wait_for_mail

pytestmark = pytest.mark.browser

TITLE = "Le logiciel de gestion se fige à la validation"
DESCRIPTION = (
    "Depuis la mise à jour de lundi, le logiciel se fige à chaque validation de dossier : il "
    "faut tout ressaisir. Un usager joint au 06 12 34 56 78 a attendu une semaine de plus."
)


def test_an_agent_raises_a_difficulty_another_supports_it_a_manager_follows_it_up(
    new_page, live_server, settings
):
    settings.ECOUTE_SITE_URL = live_server.url
    caf = NetworkFactory(name="Caisses d'allocations familiales", slug="caf-remontees")
    ain = OrganisationFactory(name="CAF de l'Ain", network=caf)
    rhone = OrganisationFactory(name="CAF du Rhône", network=caf)
    author = AgentMembershipFactory(organisation=ain, user__username="agathe").user
    colleague = AgentMembershipFactory(organisation=rhone, user__username="bruno").user
    moderator = UserFactory(moderator=True)
    manager = UserFactory(is_staff=True, username="pilote")

    # 1. Agathe, agent of the CAF de l'Ain, raises a difficulty from the agents' space.
    page = new_page()
    _login(page, author.username)
    page.get_by_test_id("nav-remontees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remontées des agents")
    assert_accessible(page, "agents' list (empty)")
    page.get_by_test_id("raise-link").click()
    form = page.get_by_test_id("raise-form")
    expect(form).to_be_visible()
    assert_accessible(page, "raise form")
    page.get_by_test_id("raise-submit").click()  # empty: errors, no 5xx
    expect(page.get_by_test_id("form-error-summary")).to_be_visible()
    assert_accessible(page, "raise form with errors")
    _tick(form.locator('input[name="kind"][value="outil"]'))
    _tick(form.locator('input[name="scope"][value="reseau"]'))
    form.get_by_label("Thème").select_option(label="Outils numériques")
    form.get_by_label("Titre").fill(TITLE)
    form.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_test_id("raise-submit").click()
    page.wait_for_url(re.compile(r"/agent/remontees/\d+/$"))
    remontee = Remontee.objects.get()
    assert remontee.organisation == ain and remontee.visibility == "pending"
    expect(page.get_by_test_id("visibility-pending")).to_be_visible()
    expect(page.get_by_test_id("remontee-description")).to_contain_text(PHONE_MASK)
    expect(page.get_by_test_id("remontee-description")).not_to_contain_text("06 12 34 56 78")
    assert_accessible(page, "remontée (pending, author)")

    # Bruno, of another CAF, does not see it before moderation.
    other = new_page()
    _login(other, colleague.username)
    other.goto("/agent/remontees/")
    expect(other.get_by_test_id(f"remontee-{remontee.pk}")).to_have_count(0)

    # 2. The moderator publishes it from the one moderation queue, where its kind shows.
    mod = new_page()
    _login(mod, moderator.username)
    item = ModerationItem.objects.get(kind="remontee", object_id=remontee.pk)
    mod.goto("/moderation/")
    expect(mod.get_by_test_id(f"item-{item.pk}")).to_contain_text("remontée d'agent")
    mod.get_by_test_id(f"open-{item.pk}").click()
    mod.get_by_test_id("item-publish").click()
    expect(mod.get_by_test_id("item-state")).to_have_text("Publié")

    # 3. Bruno now sees it in his network's list and says "moi aussi".
    other.goto("/agent/remontees/")
    card = other.get_by_test_id(f"remontee-{remontee.pk}")
    expect(card).to_be_visible()
    assert_accessible(other, "agents' list")
    card.get_by_test_id("support-button").click()
    expect(card.get_by_test_id("support-count")).to_contain_text("1 agent rencontre")
    expect(card.get_by_test_id("support-button")).to_have_attribute("aria-pressed", "true")
    other.get_by_role("link", name=TITLE).click()
    expect(other.get_by_test_id("support-count")).to_contain_text("(dont vous)")
    assert_accessible(other, "remontée (published, colleague)")

    # 4. A manager (steering) finds it by theme and sets "à l'étude"; Agathe is e-mailed.
    boss = new_page()
    _login(boss, manager.username)
    boss.goto("/agent/remontees/")
    boss.get_by_test_id("steering-link").click()
    expect(boss.get_by_test_id("theme-table")).to_be_visible()
    assert_accessible(boss, "steering view")
    boss.get_by_test_id("steering-filters").get_by_label("Thème").select_option(
        label="Outils numériques"
    )
    boss.get_by_test_id("steering-submit").click()
    boss.get_by_test_id(f"steering-row-{remontee.pk}").get_by_role("link").click()
    boss.get_by_test_id("status-form").get_by_label("Nouveau statut").select_option(
        label="À l'étude"
    )
    boss.get_by_test_id("status-form").get_by_label("Commentaire").fill("Transmis à l'éditeur.")
    boss.get_by_test_id("status-submit").click()
    expect(boss.get_by_test_id("remontee-status")).to_have_text("À l'étude")
    expect(boss.get_by_test_id("status-history")).to_contain_text("Transmis à l'éditeur.")
    assert_accessible(boss, "remontée (manager)")
    _wait_for_mail(1)
    assert mail.outbox[-1].to == [author.email] and "À l'étude" in mail.outbox[-1].subject
    assert Remontee.objects.get().status == Status.STUDYING

    # 5. The manager writes a public summary; once moderated, a visitor reads it, unsigned.
    boss.get_by_test_id("summary-link").click()
    assert_accessible(boss, "summary form")
    boss.get_by_label("Titre public").fill("Un correctif du logiciel est prévu")
    boss.get_by_label("Synthèse publique").fill(
        "Le blocage à la validation est connu : un correctif est prévu le mois prochain."
    )
    boss.get_by_test_id("summary-submit").click()
    summary = PublicSummary.objects.get()
    summary_item = ModerationItem.objects.get(kind="synthese-remontee", object_id=summary.pk)
    mod.goto(f"/moderation/elements/{summary_item.pk}/")
    mod.get_by_test_id("item-publish").click()
    expect(mod.get_by_test_id("item-state")).to_have_text("Publié")
    visitor = new_page()
    visitor.goto("/remontees-agents/")
    card = visitor.get_by_test_id(f"summary-{summary.pk}")
    expect(card).to_contain_text("Un correctif du logiciel est prévu")
    expect(card).to_contain_text("À l'étude")
    expect(card).not_to_contain_text("agathe")
    assert_accessible(visitor, "public summaries")
