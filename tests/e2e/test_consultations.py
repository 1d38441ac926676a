"""Journey through consultations: a visitor without JavaScript (320 px) opens "Consultations"
from the header, filters by département, opens a consultation (phases, why they cannot take
part, login link), logs in as a participant, hides then shows their pseudonym (also from « Mes
participations »); reads the agenda
and its iCalendar feed, and the results of a finished consultation. axe-core checks each page
at 320 px with JavaScript on."""

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from ecoute.consultations.models import Audience, Participation, PhaseKind
from tests.consultations.factories import (
    CLOSED,
    UPCOMING,
    ConsultationFactory,
    ParticipationFactory,
    PhaseFactory,
    ThemeFactory,
    days,
)
from tests.factories import PASSWORD, DepartementFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser


def _world():
    ain = DepartementFactory(code="01", name="Ain")
    rhone = DepartementFactory(code="69", name="Rhône")
    theme = ThemeFactory(slug="services-publics", name="Services publics")
    national = ConsultationFactory(
        slug="accueil",
        title="Améliorer l'accueil dans les services publics",
        presentation="Vous avez attendu au guichet ?\n\nDites-nous ce qui doit changer.",
        theme=theme,
        phase=(-10, 20),
    )
    PhaseFactory(
        consultation=national,
        title="Analyse des contributions",
        kind=PhaseKind.ANALYSIS,
        starts_on=days(21),
        ends_on=days(50),
    )
    ConsultationFactory(
        slug="rhone", title="Les maisons France services du Rhône", departements=[rhone]
    )
    ConsultationFactory(
        slug="agents-ain",
        title="Outils numériques des agents de l'Ain",
        departements=[ain],
        audience=Audience.AGENTS,
        phase=UPCOMING,
    )
    done = ConsultationFactory(slug="bilan", title="Bilan des engagements", phase=CLOSED)
    done.synthesis = "Vous avez demandé des horaires élargis."
    done.results_published_at = done.published_at
    done.save()
    camille = UserFactory(username="Camille")
    ParticipationFactory(consultation=national, user=camille)
    ParticipationFactory(consultation=national, user=UserFactory(username="Dominique"))
    return national, done, camille


def test_consultations_journey_without_javascript(browser, live_server, new_page):
    national, done, camille = _world()
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        locale="fr-FR",
        viewport={"width": 320, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()

    # From the header to the list, then filtered by département (national ones stay).
    page.goto("/")
    page.get_by_test_id("nav-consultations").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Consultations")
    expect(page.get_by_test_id("total")).to_have_text("4 consultations publiées")
    page.get_by_label("Département").select_option("01")
    page.get_by_test_id("filters-submit").click()
    cards = page.get_by_test_id("consultations")
    expect(cards).to_contain_text("Améliorer l'accueil dans les services publics")
    expect(cards).to_contain_text("Outils numériques des agents de l'Ain")
    expect(cards).not_to_contain_text("Rhône")
    expect(page.get_by_test_id("consultation-agents-ain")).to_contain_text("À venir")

    # The consultation: phases, why one cannot take part, login, back to the page.
    page.get_by_role("link", name="Améliorer l'accueil dans les services publics").click()
    expect(page.get_by_test_id("presentation")).to_contain_text("Dites-nous ce qui doit changer.")
    expect(page.get_by_test_id("phases").locator('[aria-current="step"]')).to_contain_text(
        "Consultation"
    )
    expect(page.get_by_test_id("refusal")).to_contain_text("Connectez-vous pour participer.")
    assert page.get_by_test_id("invite-mail").get_attribute("href").startswith("mailto:?subject=")
    assert "accueil" in page.get_by_test_id("share-url").input_value()
    page.get_by_test_id("login-link").click()
    page.get_by_label("Pseudonyme ou adresse électronique").fill("Camille")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page).to_have_url(f"{live_server.url}/consultations/accueil/")
    expect(page.get_by_test_id("refusal")).to_have_count(0)
    expect(page.get_by_test_id("participants-count")).to_have_text("2 participants")

    # Hide, then show again, one's pseudonym.
    page.get_by_test_id("participants-link").click()
    expect(page.get_by_test_id("participants")).to_contain_text("Camille")
    page.get_by_test_id("toggle-listed").click()
    expect(page.get_by_role("status")).to_contain_text("votre participation reste comptée")
    expect(page.get_by_test_id("participants")).not_to_contain_text("Camille")
    expect(page.get_by_test_id("participants-count")).to_have_text("2 participants")
    assert not Participation.objects.get(user=camille).is_listed
    page.get_by_test_id("toggle-listed").click()
    expect(page.get_by_test_id("participants")).to_contain_text("Camille")

    # The same choice from « Mes participations », linked from the list.
    page.goto("/consultations/")
    page.get_by_test_id("mine-link").click()
    expect(page.get_by_test_id("participation-accueil")).to_contain_text(
        "Pseudonyme affiché dans la liste des participants."
    )

    # The agenda, filtered, and its feed with the same filters.
    page.goto("/agenda/")
    expect(page.get_by_test_id("agenda-upcoming")).to_contain_text("Analyse des contributions")
    expect(page.get_by_test_id("agenda-past")).to_contain_text("Bilan des engagements")
    page.get_by_label("Statut").select_option("en-cours")
    page.get_by_test_id("filters-submit").click()
    expect(page.get_by_test_id("agenda-past")).to_have_count(0)
    feed = page.get_by_test_id("agenda-ics").get_attribute("href")
    assert feed is not None and "statut=en-cours" in feed
    response = page.request.get(feed)
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    summaries = sorted(
        str(event["SUMMARY"]) for event in Calendar.from_ical(response.body()).walk("VEVENT")
    )
    assert "Améliorer l'accueil dans les services publics — Consultation" in summaries

    # The results of the finished consultation.
    page.goto(done.get_absolute_url())
    page.get_by_test_id("results-link").click()
    expect(page.get_by_test_id("synthesis")).to_contain_text("horaires élargis")
    context.close()

    # axe-core (needs JavaScript): each page at 320 px.
    checker = new_page()
    checker.set_viewport_size({"width": 320, "height": 900})
    for url, label in [
        ("/consultations/", "list"),
        ("/consultations/?departement=01&statut=a-venir", "filtered list"),
        (national.get_absolute_url(), "consultation"),
        (f"{national.get_absolute_url()}participants/", "participants"),
        ("/agenda/", "agenda"),
        (f"{done.get_absolute_url()}resultats/", "results"),
        (f"{national.get_absolute_url()}resultats/", "results not yet published"),
    ]:
        checker.goto(url)
        expect(checker.locator("h1")).to_be_visible()
        assert_accessible(checker, label)
    _login(checker, "Camille")
    checker.goto("/consultations/mes-participations/")
    assert_accessible(checker, "my participations")


def test_agenda_pages_by_keyboard_and_axe(new_page, monkeypatch):
    from ecoute.consultations import agenda

    monkeypatch.setattr(agenda, "PER_PAGE", 1)
    ConsultationFactory(title="Première consultation", phase=(1, 30))
    ConsultationFactory(title="Deuxième consultation", phase=(2, 30))
    ConsultationFactory(title="Consultation passée", phase=CLOSED)
    page = new_page()
    page.goto("/agenda/")
    expect(page.get_by_test_id("agenda-upcoming")).to_contain_text("Première consultation")
    assert_accessible(page, "agenda with pages")
    page.get_by_test_id("pager-upcoming-next").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("agenda-upcoming")).to_contain_text("Deuxième consultation")
    expect(page.get_by_test_id("agenda-past")).to_contain_text("Consultation passée")
    expect(page.get_by_test_id("pager-upcoming-next")).to_have_count(0)
    page.get_by_test_id("pager-upcoming-previous").click()
    expect(page.get_by_test_id("agenda-upcoming")).to_contain_text("Première consultation")
