"""Journeys of the agents' space in Debian's chromium, axe-core on each new page: an agent
filters the inbox and hands an experience to a colleague; an agent routes an experience to
another network whose agent answers it (preview, publish) and the author is told; the
escalation command moves an overdue experience up."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from ecoute.experiences.models import Answer
from ecoute.inbox.models import Handling
from tests.factories import (
    AgentMembershipFactory,
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
)

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


def _services():  # noqa: ANN202
    departement = DepartementFactory()
    direction = OrganisationFactory(
        name="CAF de l'Ain", network=NetworkFactory(name="CAF", slug="caf"), departement=departement
    )
    agency = OrganisationFactory(
        name="Agence CAF de Bourg",
        network=direction.network,
        parent=direction,
        departement=departement,
    )
    cpam = OrganisationFactory(
        name="CPAM de Bourg",
        network=NetworkFactory(name="CPAM", slug="cpam"),
        departement=departement,
    )
    return direction, agency, cpam


def test_an_agent_filters_the_inbox_and_assigns_to_a_colleague(new_page, live_server):
    _direction, agency, _cpam = _services()
    point = ContactPointFactory(organisation=agency, name="Accueil de Bourg")
    agent = AgentMembershipFactory(organisation=agency, user__username="agent-bourg").user
    AgentMembershipFactory(organisation=agency, user__username="collegue-bourg")
    manager = AgentMembershipFactory(
        organisation=agency, manager=True, user__username="responsable-bourg"
    ).user
    phone = ExperienceFactory(
        contact_point=point, published=True, channel="telephone", title="Ligne saturée"
    )
    ExperienceFactory(contact_point=point, published=True, channel="guichet", title="File longue")
    page = new_page()
    _login(page, agent.username)
    page.get_by_test_id("nav-agent").click()
    expect(page.get_by_test_id("count-a_traiter")).to_contain_text("2")
    assert_accessible(page, "inbox")
    page.get_by_label("Canal").select_option("telephone")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("inbox-table").locator("tbody tr")).to_have_count(1)
    page.get_by_test_id(f"open-{phone.pk}").click()
    assert_accessible(page, "inbox item")
    page.get_by_label("Attribuer à").select_option(label="collegue-bourg")
    page.get_by_test_id("assign-submit").click()
    expect(page.get_by_role("status").filter(has_text="attribuée à collegue-bourg")).to_be_visible()
    page.get_by_label("Note interne").fill("Rappeler l'usager demain matin.")
    page.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_test_id("notes")).to_contain_text("Rappeler l'usager demain matin.")
    assert Handling.objects.get(experience=phone).assignee.username == "collegue-bourg"
    page.get_by_test_id("nav-agent").click()
    page.get_by_test_id("dashboard-link").click()
    expect(page.get_by_test_id("count-en_cours")).to_contain_text("1")
    assert_accessible(page, "dashboard")

    manager_page = new_page()
    _login(manager_page, manager.username)
    manager_page.goto("/agent/equipe/")
    expect(manager_page.get_by_test_id("team-table")).to_contain_text("collegue-bourg")
    assert_accessible(manager_page, "team")


def test_routed_to_another_network_answered_there_and_the_author_told(new_page, live_server):
    _direction, agency, cpam = _services()
    point = ContactPointFactory(organisation=agency, name="Accueil de Bourg")
    experience = ExperienceFactory(
        contact_point=point, published=True, title="Remboursement de soins bloqué"
    )
    caf_agent = AgentMembershipFactory(organisation=agency, user__username="agent-caf").user
    cpam_agent = AgentMembershipFactory(organisation=cpam, user__username="agent-cpam").user
    page = new_page()
    _login(page, caf_agent.username)
    page.goto(f"/agent/experiences/{experience.pk}/")
    page.get_by_label("Service destinataire").select_option(label="CPAM de Bourg (CPAM)")
    page.get_by_label("Motif de l'orientation").fill("Les remboursements relèvent de la CPAM.")
    page.get_by_test_id("route-submit").click()
    expect(page.get_by_role("status").filter(has_text="transmise à CPAM de Bourg")).to_be_visible()
    told = [m for m in mail.outbox if m.to == [experience.author.email]]
    assert told and "CPAM de Bourg" in told[-1].body

    cpam_page = new_page()
    _login(cpam_page, cpam_agent.username)
    cpam_page.get_by_test_id("nav-agent").click()
    cpam_page.get_by_test_id(f"open-{experience.pk}").click()
    expect(cpam_page.get_by_test_id("journal-oriente")).to_contain_text("relèvent de la CPAM")
    cpam_page.get_by_test_id("answer-link").click()
    cpam_page.get_by_label("Réponse publique du service").fill(
        "Votre remboursement est débloqué : il sera versé sous cinq jours."
    )
    cpam_page.get_by_test_id("preview-answer").click()
    cpam_page.get_by_test_id("publish-answer").click()
    expect(
        cpam_page.get_by_role("status").filter(has_text="Votre réponse est publiée")
    ).to_be_visible()
    assert Answer.objects.get(experience=experience).organisation == cpam
    assert any("répondu" in m.subject for m in mail.outbox if m.to == [experience.author.email])


def test_the_escalation_command_moves_an_overdue_experience_up(new_page, live_server):
    direction, agency, _cpam = _services()
    point = ContactPointFactory(organisation=agency)
    overdue = ExperienceFactory(
        contact_point=point,
        published=True,
        title="Sans nouvelles depuis un mois",
        published_at=timezone.now() - dt.timedelta(days=30),
    )
    director = AgentMembershipFactory(organisation=direction, user__username="directrice").user
    call_command("escalate_overdue_experiences")
    page = new_page()
    _login(page, director.username)
    page.goto("/agent/?etat=escalade")
    page.get_by_test_id(f"open-{overdue.pk}").click()
    expect(page.get_by_test_id("escalated")).to_contain_text("CAF de l'Ain")
    expect(page.get_by_test_id("journal-escalade")).to_be_visible()
