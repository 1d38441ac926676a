"""Journey "resources and training": an agent reads a guide, marks a module done, sets their
alerts; a manager sees the completion. Debian's chromium, axe-core on every page."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from ecoute.follows.models import NotificationSettings
from ecoute.resources.importers import load_resources
from ecoute.resources.models import ModuleCompletion, TrainingModule
from tests.factories import AgentMembershipFactory, OrganisationFactory

from .axe import assert_accessible
from .test_journey import _login, _tick

pytestmark = pytest.mark.browser


def test_agent_reads_a_guide_completes_a_module_and_the_manager_sees_it(new_page, live_server):
    load_resources(Path(settings.ECOUTE_DATA_DIR))  # the real guides and modules we ship
    direction = OrganisationFactory(name="Direction départementale")
    agency = OrganisationFactory(
        name="Agence de Bourg", parent=direction, network=direction.network
    )
    agent = AgentMembershipFactory(organisation=agency).user
    manager = AgentMembershipFactory(organisation=direction, manager=True).user
    module = TrainingModule.objects.get(slug="droit-a-l-erreur-et-orientation")

    page = new_page()
    _login(page, agent.username)
    page.get_by_test_id("nav-resources").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ressources et formation")
    assert_accessible(page, "resources index")

    page.get_by_role("link", name="Le droit à l'erreur").click()
    expect(page.get_by_test_id("resource-body")).to_contain_text("loi n° 2018-727")
    expect(
        page.get_by_test_id("resource-body").get_by_role("heading", name="Sources")
    ).to_be_visible()
    assert_accessible(page, "resource page")

    page.get_by_role("link", name=module.title).click()
    expect(page.get_by_test_id("module-steps")).to_contain_text("Orienter vers le bon service")
    assert_accessible(page, "module page")
    page.get_by_test_id("module-complete").click()
    expect(page.get_by_test_id("module-status")).to_contain_text("Terminé")
    assert_accessible(page, "module page, done")
    assert ModuleCompletion.objects.filter(user=agent, module=module).count() == 1

    page.goto("/ressources/formations/")
    expect(page.get_by_test_id("progress")).to_contain_text("Modules terminés : 1 sur 2")
    assert_accessible(page, "modules page")

    # The agent wants new experiences at once (grouped), from their e-mail preferences.
    page.goto("/abonnements/preferences/")
    assert_accessible(page, "preferences with agent alerts")
    _tick(page.get_by_role("radio", name="Dès la publication"))
    page.get_by_test_id("preferences-submit").click()
    expect(
        page.get_by_role("status").filter(has_text="préférences sont enregistrées")
    ).to_be_visible()
    assert NotificationSettings.objects.get(user=agent).agent_alerts == "immediate"

    # The manager of the direction sees the share of their team (agency included).
    boss = new_page()
    _login(boss, manager.username)
    boss.goto("/ressources/formations/")
    boss.get_by_test_id("completion-link").click()
    table = boss.get_by_test_id("completion-table")
    expect(boss.get_by_test_id("completion-agents")).to_contain_text("2 agents")
    expect(table.get_by_role("row", name=module.title)).to_contain_text("1 / 2")
    expect(table.get_by_role("row", name=module.title)).to_contain_text("50 %")
    assert_accessible(boss, "completion page")
