"""/consultations/: every published consultation with its status, theme, audience, territory and
dates; filters in the query string; keyset pages; drafts for organisers only."""

import pytest
from django.urls import reverse

from ecoute.consultations.models import Audience
from tests.factories import DepartementFactory

from .conftest import ROLES, login
from .factories import CLOSED, UPCOMING, ConsultationFactory, ThemeFactory

pytestmark = pytest.mark.django_db
URL = reverse("consultations:list")


def slugs(response) -> list[str]:
    return [c.slug for c in response.context["page"].items]


def test_list_shows_status_theme_audience_territory_and_dates(client):
    ain = DepartementFactory(code="01", name="Ain")
    rhone = DepartementFactory(code="69", name="Rhône")
    ConsultationFactory(title="Accueil des usagers", departements=[ain, rhone], phase=(0, 30))
    ConsultationFactory(title="Services numériques", audience=Audience.AGENTS, phase=UPCOMING)
    ConsultationFactory(title="Bilan 2025", phase=CLOSED)
    ConsultationFactory(title="Bilan 2024", phase=CLOSED, results=True)

    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    for label in ["En cours", "À venir", "Terminée", "Résultats publiés"]:
        assert label in html
    assert "Ain, Rhône" in html
    assert "Nationale" in html
    assert "Agents publics" in html
    assert "Services publics" in html  # the theme
    assert "4 consultations publiées" in html


def test_dates_read_as_a_french_range(client):
    consultation = ConsultationFactory(phase=(0, 30))
    consultation.phases.update(starts_on="2026-09-14", ends_on="2026-12-15")
    consultation.refresh_from_db()
    from ecoute.consultations.actions import refresh_dates

    refresh_dates(consultation=consultation)

    response = client.get(URL)

    assert "du 14 septembre au 15 décembre 2026" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_seen_by_organisers_only(client, users, role):
    ConsultationFactory(title="Publiée")
    ConsultationFactory(title="En préparation", draft=True)
    login(client, users[role])

    html = client.get(URL).content.decode()

    assert "Publiée" in html
    organiser = role in {"organiser", "admin"}
    assert ("En préparation" in html) is organiser
    assert ("Brouillon" in html) is organiser


def test_filter_by_theme(client):
    numerique = ThemeFactory(slug="numerique", name="Numérique")
    ConsultationFactory(slug="a", theme=numerique)
    ConsultationFactory(slug="b")

    assert slugs(client.get(URL, {"theme": "numerique"})) == ["a"]


def test_filter_by_departement_includes_national_consultations(client):
    ain = DepartementFactory(code="01", name="Ain")
    rhone = DepartementFactory(code="69", name="Rhône")
    ConsultationFactory(slug="ain", departements=[ain])
    ConsultationFactory(slug="rhone", departements=[rhone])
    ConsultationFactory(slug="ain-et-rhone", departements=[ain, rhone])
    ConsultationFactory(slug="nationale")

    found = slugs(client.get(URL, {"departement": "01"}))

    assert sorted(found) == ["ain", "ain-et-rhone", "nationale"]


def test_filter_by_audience_includes_consultations_open_to_all(client):
    ConsultationFactory(slug="agents", audience=Audience.AGENTS)
    ConsultationFactory(slug="usagers", audience=Audience.USAGERS)
    ConsultationFactory(slug="tous", audience=Audience.ALL)

    assert sorted(slugs(client.get(URL, {"public": "agents"}))) == ["agents", "tous"]
    assert sorted(slugs(client.get(URL, {"public": "usagers"}))) == ["tous", "usagers"]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("a-venir", "upcoming"), ("en-cours", "open"), ("terminee", "closed"), ("resultats", "done")],
)
def test_filter_by_status(client, status, expected):
    ConsultationFactory(slug="upcoming", phase=UPCOMING)
    ConsultationFactory(slug="open")
    ConsultationFactory(slug="closed", phase=CLOSED)
    ConsultationFactory(slug="done", phase=CLOSED, results=True)

    assert slugs(client.get(URL, {"statut": status})) == [expected]


def test_unknown_filter_value_is_a_form_error_not_a_crash(client):
    ConsultationFactory()

    response = client.get(URL, {"statut": "nimporte", "departement": "999"})

    assert response.status_code == 400
    assert "Le formulaire n'a pas été envoyé" in response.content.decode()


def test_no_match_says_so_with_a_way_back(client):
    ConsultationFactory()

    html = client.get(URL, {"statut": "terminee"}).content.decode()

    assert "Aucune consultation ne correspond à ces filtres." in html


def test_keyset_pages(client):
    for number in range(25):
        ConsultationFactory(slug=f"c{number:02d}")

    first = client.get(URL)
    second = client.get(URL, {"apres": first.context["page"].next_cursor})

    assert len(first.context["page"].items) == 20
    assert len(second.context["page"].items) == 5
    assert not set(slugs(first)) & set(slugs(second))
    assert 'data-testid="next-page"' in first.content.decode()


def test_a_tampered_cursor_gives_the_first_page(client):
    ConsultationFactory()

    assert client.get(URL, {"apres": "garbage"}).status_code == 200


@pytest.mark.parametrize("rows", [1, 25])
def test_query_count_does_not_grow_with_rows(client, users, django_assert_max_num_queries, rows):
    ain = DepartementFactory(code="01", name="Ain")
    for _number in range(rows):
        ConsultationFactory(departements=[ain])
        ConsultationFactory(draft=True)
    login(client, users["organiser"])

    with django_assert_max_num_queries(14):
        assert client.get(URL).status_code == 200
