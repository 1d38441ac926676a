"""/agenda/ and the iCalendar feeds: every published consultation's phases, current and upcoming
first, the list's filters; all-day events with stable UIDs."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from ecoute.consultations import agenda
from ecoute.consultations.models import Audience, PhaseKind
from tests.factories import DepartementFactory

from .conftest import ROLES, login
from .factories import CLOSED, UPCOMING, ConsultationFactory, PhaseFactory, ThemeFactory, days

pytestmark = pytest.mark.django_db
URL = reverse("consultations:agenda")
ICS = reverse("consultations:agenda_ics")


def titles(half) -> list[str]:  # noqa: ANN001 - an AgendaHalf or a list of entries
    return [entry.parent_title for entry in getattr(half, "entries", half)]


def events(response) -> list:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return list(Calendar.from_ical(response.content).walk("VEVENT"))


@pytest.mark.parametrize("role", ROLES)
def test_agenda_lists_current_and_upcoming_first_then_past(client, users, role):
    ConsultationFactory(title="Passée", phase=CLOSED)
    ConsultationFactory(title="À venir", phase=UPCOMING)
    ConsultationFactory(title="En cours", phase=(-5, 5))
    ConsultationFactory(title="Brouillon caché", draft=True)
    login(client, users[role])

    response = client.get(URL)

    assert response.status_code == 200
    assert titles(response.context["upcoming"]) == ["En cours", "À venir"]
    assert titles(response.context["past"]) == ["Passée"]
    html = response.content.decode()
    assert "Brouillon caché" not in html
    assert "En ce moment" in html


def test_agenda_shows_every_phase(client):
    consultation = ConsultationFactory(title="Accueil", phase=(-5, 5))
    PhaseFactory(
        consultation=consultation,
        title="Restitution",
        kind=PhaseKind.RESULTS,
        starts_on=days(30),
        ends_on=days(30),
    )

    entries = client.get(URL).context["upcoming"].entries

    assert [entry.label for entry in entries] == ["Consultation", "Restitution"]


def test_agenda_filters_like_the_list(client):
    ain = DepartementFactory(code="01", name="Ain")
    rhone = DepartementFactory(code="69", name="Rhône")
    numerique = ThemeFactory(slug="numerique", name="Numérique")
    ConsultationFactory(title="Ain", departements=[ain])
    ConsultationFactory(title="Rhône", departements=[rhone])
    ConsultationFactory(title="Nationale numérique", theme=numerique, audience=Audience.AGENTS)

    def upcoming(**query) -> list[str]:
        return sorted(titles(client.get(URL, query).context["upcoming"]))

    assert upcoming(departement="01") == ["Ain", "Nationale numérique"]
    assert upcoming(theme="numerique") == ["Nationale numérique"]
    assert upcoming(public="usagers") == ["Ain", "Rhône"]
    assert upcoming(statut="a-venir") == []
    assert client.get(URL, {"theme": "inconnu"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 25])
def test_agenda_query_count_does_not_grow(client, django_assert_max_num_queries, rows):
    ain = DepartementFactory(code="01", name="Ain")
    for _number in range(rows):
        ConsultationFactory(departements=[ain])
        ConsultationFactory(phase=CLOSED)

    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_the_feed_is_capped_per_half(client, monkeypatch):
    monkeypatch.setattr(agenda, "LIMIT", 3)
    for _number in range(5):
        ConsultationFactory()

    assert len(agenda.agenda(agenda.ConsultationFilters())[0]) == 3


def _titles(page) -> list[str]:  # noqa: ANN001
    return [e.parent_title for e in page.context["upcoming"].entries]


def test_agenda_pages_reach_every_entry_of_each_half(client, monkeypatch):
    monkeypatch.setattr(agenda, "PER_PAGE", 2)
    for number in range(5):
        ConsultationFactory(title=f"À venir {number}", phase=(number + 1, 30))
    for number in range(3):
        ConsultationFactory(title=f"Passée {number}", phase=CLOSED)

    first = client.get(URL, {"departement": ""})
    body = first.content.decode()
    assert _titles(first) == ["À venir 0", "À venir 1"]
    assert 'data-testid="pager-upcoming-next"' in body
    assert 'data-testid="pager-upcoming-previous"' not in body
    assert "departement=&amp;a_venir=2#a_venir" in body  # the filters are kept
    with_past = client.get(URL, {"passe": 2}).content.decode()
    assert "passe=2&amp;a_venir=2#a_venir" in with_past  # the other half keeps its page
    seen = []
    for number in (1, 2, 3):
        page = client.get(URL, {"a_venir": number, "passe": 2})
        seen += _titles(page)
        assert len(page.context["past"].entries) == 1  # past, page 2 of 2
    assert seen == [f"À venir {n}" for n in range(5)]
    assert 'data-testid="pager-upcoming-next"' not in page.content.decode()


@pytest.mark.parametrize("value", ["0", "-1", "abc", "99999", "2.5"])
def test_a_bad_page_number_shows_the_first_page(client, value):
    ConsultationFactory(title="Accueil")
    response = client.get(URL, {"a_venir": value, "passe": value})
    assert response.status_code == 200
    assert response.context["upcoming"].page == 1


def test_ics_feed_has_all_day_events_with_stable_uids(client, settings):
    settings.ECOUTE_SITE_URL = "https://ecoute.example.gouv.fr"
    consultation = ConsultationFactory(title="Accueil des usagers", phase=(0, 30))

    first = events(client.get(ICS))
    second = events(client.get(ICS))

    assert len(first) == 1
    event = first[0]
    phase = consultation.phases.get()
    assert str(event["SUMMARY"]) == "Accueil des usagers — Consultation"
    assert event["DTSTART"].dt == phase.starts_on
    assert not isinstance(event["DTSTART"].dt, dt.datetime)  # all-day
    assert event["DTEND"].dt == phase.ends_on + dt.timedelta(days=1)
    assert str(event["URL"]) == f"https://ecoute.example.gouv.fr/consultations/{consultation.slug}/"
    assert "DTSTAMP" in event
    assert str(event["UID"]) == f"consultation-phase-{phase.pk}@ecoute"
    assert [str(e["UID"]) for e in second] == [str(event["UID"])]


def test_ics_feed_takes_the_filters(client):
    ain = DepartementFactory(code="01", name="Ain")
    rhone = DepartementFactory(code="69", name="Rhône")
    ConsultationFactory(title="Ain", departements=[ain])
    ConsultationFactory(title="Rhône", departements=[rhone])

    found = events(client.get(ICS, {"departement": "69"}))

    assert [str(e["SUMMARY"]) for e in found] == ["Rhône — Consultation"]
    assert str(found[0]["LOCATION"]) == "Rhône"
    assert client.get(ICS, {"statut": "nimporte"}).status_code == 400


def test_agenda_page_links_to_the_feed_with_its_filters(client):
    html = client.get(URL, {"departement": "", "statut": "en-cours"}).content.decode()

    assert "/agenda.ics?departement=&amp;statut=en-cours" in html


def test_consultation_ics_has_its_phases(client):
    consultation = ConsultationFactory(title="Accueil", phase=(-5, 5))
    PhaseFactory(
        consultation=consultation,
        title="Analyse",
        kind=PhaseKind.ANALYSIS,
        starts_on=days(6),
        ends_on=days(20),
    )

    found = events(client.get(reverse("consultations:ics", args=[consultation.slug])))

    assert [str(e["SUMMARY"]) for e in found] == ["Accueil — Consultation", "Accueil — Analyse"]


@pytest.mark.parametrize("role", ROLES)
def test_draft_ics_is_for_organisers_only(client, users, role):
    draft = ConsultationFactory(draft=True)
    login(client, users[role])

    response = client.get(reverse("consultations:ics", args=[draft.slug]))

    assert response.status_code == (200 if role in {"organiser", "admin"} else 404)
