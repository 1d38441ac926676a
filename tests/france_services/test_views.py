"""France services pages through HTTP: the map with its table and CSV, the nearest points by
postal code or commune name, errors in French, the coverage page before and after a run."""

import csv
import io

import pytest
from django.test import override_settings
from django.urls import reverse

from ecoute.france_services.actions import compute_coverage
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db
INDEX = reverse("france_services:index")
COVERAGE = reverse("france_services:coverage")


def csv_rows(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def result_names(response):
    return [item.nearby.contact_point.name for item in response.context["nearest"]]


def test_map_page_lists_every_departement_with_its_points(
    client, places, django_assert_num_queries
):
    # network, points, population per département, and the DSFR configuration (twice, as on
    # every page): bounded whatever the number of points
    with django_assert_num_queries(5):
        response = client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        'role="img"' in html and "<caption>Points France services par département</caption>" in html
    )
    chart = response.context["chart"]
    rows = {row[0].value: row for row in chart.table.rows}
    assert len(rows) == 101
    assert rows["15"][2].value == 3  # the CAF counter is not a France services
    assert rows["01"][2].value == 0  # a CAF counter's commune: population known, no point
    assert rows["13"][2].value is None  # no commune at all in this fixture: no data
    assert response.context["nearest"] == []


def test_map_csv(client, places):
    rows = csv_rows(client.get(INDEX, {"csv": "france-services-par-departement"}))
    assert rows[0] == [
        "Code",
        "Département",
        "Points France services",
        "Points pour 100 000 habitants",
    ]
    cantal = next(row for row in rows if row[0] == "15")
    assert cantal[2] == "3" and float(cantal[3]) == pytest.approx(3 * 100_000 / 25_010)


@pytest.mark.parametrize(("lieu", "queries"), [("15000", 7), ("Aurillac", 8), (" aurillac", 8)])
def test_nearest_by_postal_code_or_name(client, places, lieu, queries, django_assert_num_queries):
    # the map's three, the commune (a name: exact match first), the nearest points (one
    # query), the DSFR configuration (twice)
    with django_assert_num_queries(queries):
        response = client.get(INDEX, {"lieu": lieu})
    assert response.status_code == 200
    assert result_names(response) == [
        "France services centre",
        "France services arpajon",
        "France services far",
    ]
    html = response.content.decode()
    assert "Autour de Aurillac (15)" in html
    assert "0,4 km" in html and "Lundi : 09:00 - 12:00 / 13:30 - 17:00" in html
    assert "Rendez-vous possible" in html
    assert 'href="tel:0471000000"' in html
    assert "Horaires non renseignés." in html  # arpajon has none
    first = response.context["nearest"][0]
    assert first.hours.days == [
        ("Lundi", "09:00 - 12:00 / 13:30 - 17:00"),
        ("Mercredi", "09:00 - 12:00"),
    ]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lieu": "Atlantide"}, "Nous ne trouvons ni cette commune ni ce code postal."),
        ({"lieu": "99999"}, "Nous ne trouvons ni cette commune ni ce code postal."),
        ({"lieu": "15999"}, "Nous ne connaissons pas la position de cette commune."),
        ({"lieu": ""}, "Indiquez une commune ou un code postal."),
        ({"commune": "ZZZZZ"}, "Nous ne trouvons ni cette commune ni ce code postal."),
        ({"lieu": "x" * 101}, "100 caractères"),
    ],
)
def test_unknown_place_gets_a_clear_message(client, places, params, message):
    response = client.get(INDEX, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["nearest"] == []


def test_homonyms_are_offered(client, places):
    other = places["centre"].commune.__class__.objects.create(
        code="15199",
        name="Aurillac",
        search_name="aurillac",
        departement_id="15",
        population=5,
        latitude=45.0,
        longitude=2.5,
    )
    response = client.get(INDEX, {"lieu": "Aurillac"})
    assert f'href="?commune={other.code}#plus-proche"' in response.content.decode()
    response = client.get(INDEX, {"commune": other.code})
    assert response.context["commune"] == other


def test_opening_days_in_the_readers_language(client, places):
    client.post(reverse("set_language"), {"language": "en", "next": INDEX})
    html = client.get(INDEX, {"lieu": "15000"}).content.decode()
    assert "Monday : 09:00 - 12:00 / 13:30 - 17:00" in html
    assert "Opening hours" in html


def test_without_the_network_the_search_says_so(client, places, network):
    network.name = "France services (ancien nom)"  # no network of that name any more
    network.save(update_fields=["name"])
    response = client.get(INDEX, {"lieu": "15000"})
    assert response.context["nearest"] == []
    assert "Aucun France services avec une position n'est connu." in response.content.decode()


def test_coverage_page_before_any_computation(client, places, django_assert_num_queries):
    with django_assert_num_queries(3):  # the run, the DSFR configuration (twice)
        response = client.get(COVERAGE)
    assert response.status_code == 200
    assert "pas encore été calculée" in response.content.decode()
    assert client.get(COVERAGE, {"csv": "couverture-france-services"})["Content-Type"].startswith(
        "text/html"
    )


@override_settings(ECOUTE_FS_DETOUR_FACTOR=1.3, ECOUTE_FS_SPEED_KMH=50)
def test_coverage_page_shows_figures_assumptions_and_caveats(
    client, places, django_assert_num_queries
):
    compute_coverage()
    with django_assert_num_queries(4):  # the run, its figures, the DSFR configuration (twice)
        response = client.get(COVERAGE)
    html = response.content.decode()
    assert "100,0 % de la population à moins de 20 minutes" in html
    assert "est atteint" in html
    assert "× 1,3 (coefficient de détour) ÷ 50 km/h" in html
    # Sans-Position (10) and Bourg-en-Bresse, the CAF counter's commune (41,365), have no point
    assert "2 communes sans position (41\u00a0375 habitants) ne sont pas comptées." in html
    assert "sans population connue" not in html
    assert "Outre-mer et îles" in html
    chart = response.context["chart"]
    assert {row[0].value: row[2].value for row in chart.table.rows}["15"] == 100.0
    rows = csv_rows(client.get(COVERAGE, {"csv": "couverture-france-services"}))
    assert rows[0] == [
        "Code",
        "Département",
        "À moins de 20 min",
        "À moins de 10 min",
        "À moins de 30 min",
        "Population comptée",
    ]
    assert next(row for row in rows if row[0] == "15")[2:] == ["100.0", "100.0", "100.0", "25000"]


@override_settings(ECOUTE_FS_DETOUR_FACTOR=1.0, ECOUTE_FS_SPEED_KMH=60)
def test_coverage_page_shows_the_population_by_travel_time(client, places):
    CommuneFactory(  # 15 km north of Aurillac's point: 15 min at 60 km/h with no detour
        code="15200",
        name="Nord",
        departement_id="15",
        population=75_000,
        latitude=44.9300 + 15 / 111.195,
        longitude=2.4400,
    )
    compute_coverage()
    response = client.get(COVERAGE)
    assert "Répartition de la population par temps de trajet estimé" in response.content.decode()
    rows = csv_rows(client.get(COVERAGE, {"csv": "temps-de-trajet"}))
    assert rows == [
        ["Temps de trajet estimé", "Part de la population"],
        ["moins de 10 min", "25.0"],
        ["de 10 à 20 min", "75.0"],
        ["de 20 à 30 min", "0.0"],
        ["30 min ou plus", "0.0"],
    ]


def test_coverage_page_says_when_settings_changed(client, places):
    with override_settings(ECOUTE_FS_SPEED_KMH=40):
        compute_coverage()
    assert "Les réglages actuels diffèrent" in client.get(COVERAGE).content.decode()


def test_pages_only_answer_safe_methods(client, places):
    assert client.post(INDEX).status_code == 405
    assert client.post(COVERAGE).status_code == 405
