"""The public pages of the results, through HTTP: content, the minimum sample rule, CSV,
bad input, and bounded query counts."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from ecoute.indicators.definitions import INDICATORS
from tests.factories import (
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)  # first semester 2026
BASE = 2  # every page: django-dsfr reads its configuration (ui/base.html)


@pytest.fixture
def rated():
    """Three published experiences at one contact point (Ain, 01) of an agency below a head."""
    head = OrganisationFactory(name="Direction")
    agency = OrganisationFactory(name="Agence", parent=head, network=head.network)
    point = ContactPointFactory(organisation=agency)
    for mark in (5, 4, 1):
        ExperienceFactory(
            contact_point=point, published=True, occurred_on=DAY, rating_satisfaction=mark
        )
    return {"head": head, "agency": agency, "point": point}


def test_the_list_links_the_eight_definitions(client, django_assert_num_queries):
    with django_assert_num_queries(BASE):
        response = client.get(reverse("indicators:list"))
    page = response.content.decode()
    assert response.status_code == 200
    for indicator in INDICATORS:
        assert f'href="/indicateurs/{indicator.slug}/"' in page
    assert page.count('data-testid="indicator-card-') == 8


def test_a_definition_page_shows_how_it_is_computed_and_the_values(
    client, rated, django_assert_num_queries
):
    DepartementFactory(code="02", name="Aisne")  # no measure there
    with django_assert_num_queries(
        BASE + 5
    ):  # newest semester, 2 national, départements' values, names
        response = client.get(reverse("indicators:definition", args=["satisfaction"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "nombre de notes de 4 ou 5 sur 5" in page
    assert 'data-testid="minimum-sample">1 avis' in page  # test settings: minimum 1
    assert "1er semestre 2026" in page
    assert 'data-testid="departement-01"' in page
    row = page[page.index('data-testid="departement-01"') :]
    assert "67 %" in row[: row.index("</tr>")]  # 2 of 3 satisfied
    # Only the measured département is a row of the table; the others are counted.
    table = page[page.index('data-testid="departement-table"') :]
    assert (
        len(re.findall(r'data-testid="departement-\w\w\w?"', table[: table.index("</table>")])) == 1
    )
    assert "Aucune mesure ce semestre dans 1 département " in page
    assert "?semestre=2026-S1" in page
    assert 'data-testid="chart-carte-satisfaction"' in page  # the map (common.charts)
    assert "<svg" in page


def test_values_under_the_minimum_sample_are_not_published(client, rated, settings):
    settings.ECOUTE_INDICATOR_MIN_SAMPLE = 10
    page = client.get(reverse("indicators:definition", args=["satisfaction"])).content.decode()
    assert "67 %" not in page
    assert "échantillon insuffisant (3 avis, minimum 10)" in page
    point_page = client.get(rated["point"].get_absolute_url()).content.decode()
    assert "échantillon insuffisant (3 avis, minimum 10)" in point_page


def test_a_definition_page_without_data(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(BASE + 3):
        response = client.get(reverse("indicators:definition", args=["taux-decroche"]))
    assert response.status_code == 200
    assert "Aucune valeur" in response.content.decode()


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/indicateurs/inconnu/", 404),
        ("/indicateurs/satisfaction/?semestre=2026-S3", 404),
        ("/indicateurs/satisfaction/?semestre=abc", 404),
        ("/resultats/departements/999/", 404),
        ("/resultats/reseaux/inconnu/", 404),
        ("/resultats/organisations/999999/", 404),
    ],
)
def test_bad_addresses_are_404_not_500(client, path, status):
    assert client.get(path).status_code == status


def test_the_csv_of_the_departements(client, rated):
    response = client.get(reverse("indicators:csv", args=["satisfaction"]), {"semestre": "2026-S1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "satisfaction-2026-S1.csv" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    ain = next(row for row in rows if row["departement"] == "01")
    assert (ain["numerateur"], ain["denominateur"], ain["taux"], ain["publie"]) == (
        "2",
        "3",
        "66.7",
        "oui",
    )


@pytest.mark.parametrize(
    ("scope", "testid"),
    [
        ("nation", "nation"),
        ("departement", "departement"),
        ("network", "network"),
        ("organisation", "organisation"),
    ],
)
def test_results_of_a_scope(client, rated, scope, testid, django_assert_num_queries):
    args = {
        "nation": [],
        "departement": ["01"],
        "network": [rated["head"].network.slug],
        "organisation": [rated["head"].pk],  # the head counts its agency's contact points
    }[scope]
    lookups = 1  # the département, network or organisation; France: the list of départements
    if scope == "nation":
        lookups += 2  # the map: the newest semester, the values per département
    # The transparency rate (test_transparency.py): measurements, counters; the State's rate.
    transparency = {"departement": 3, "network": 2}.get(scope, 0)
    with django_assert_num_queries(BASE + 2 + lookups + transparency):
        response = client.get(reverse(f"indicators:{scope}", args=args))
    page = response.content.decode()
    assert response.status_code == 200
    assert f'data-testid="results-{testid}"' in page
    row = page[page.index('data-testid="result-satisfaction"') :]
    assert "67 %" in row[: row.index("</tr>")]
    assert "sur 3 avis" in row


def test_the_results_query_count_does_not_grow_with_the_data(
    client, rated, django_assert_num_queries
):
    for point in ContactPointFactory.create_batch(3, organisation=rated["agency"]):
        ExperienceFactory.create_batch(3, contact_point=point, published=True, occurred_on=DAY)
    with django_assert_num_queries(BASE + 5):  # 3 + the map's newest semester and values
        client.get(reverse("indicators:nation"))


def test_large_samples_read_with_thousands_separators(client, rated):
    from ecoute.indicators.models import NATION_KEY, IndicatorRollup, PeriodKind, ScopeKind

    IndicatorRollup.objects.create(
        indicator="taux-decroche",
        scope_kind=ScopeKind.NATION,
        scope_key=NATION_KEY,
        period_kind=PeriodKind.SEMESTER,
        period_start=dt.date(2026, 1, 1),
        numerator=164_000,
        denominator=211_045,
    )
    page = client.get(reverse("indicators:nation")).content.decode()
    row = page[page.index('data-testid="result-taux-decroche"') :]
    row = row[: row.index("</tr>")]
    assert "211045" not in row
    assert any(f"sur 211{space}045" in row for space in ("\u00a0", "\u202f", " ", "&nbsp;"))
