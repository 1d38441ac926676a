"""The national results page's map of the départements, one indicator at a time (chosen by a
link, no JavaScript), its table collapsed beneath and the départements' pages listed below."""

import datetime as dt

import pytest
from django.urls import reverse

from ecoute.indicators.definitions import INDICATORS
from tests.factories import (
    ContactPointFactory,
    DepartementFactory,
    ExperienceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)  # first semester 2026


@pytest.fixture
def rated():
    """Three published experiences at one contact point of the Ain (01): 2 of 3 satisfied."""
    point = ContactPointFactory()
    for mark in (5, 4, 1):
        ExperienceFactory(
            contact_point=point, published=True, occurred_on=DAY, rating_satisfaction=mark
        )
    return point


def _satisfaction():
    return next(i for i in INDICATORS if i.slug == "satisfaction")


@pytest.mark.parametrize("role", ["anonymous", "usager"])
def test_the_national_page_maps_the_chosen_indicator(client, rated, role):
    if role == "usager":
        client.force_login(UserFactory())
    page = client.get(reverse("indicators:nation"), {"indicateur": "satisfaction"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="chart-carte-satisfaction"' in html and "<svg" in html
    # The map's table (collapsed) gives every value and links each département's page.
    table = html[html.index('data-testid="chart-table-carte-satisfaction"') :]
    table = table[: table.index("</table>")]
    assert "67" in table
    assert reverse("indicators:departement", args=["01"]) in table
    # Its CSV is the indicator's own, for the same semester.
    csv_url = reverse("indicators:csv", args=["satisfaction"]) + "?semestre=2026-S1"
    assert csv_url in html
    # The chosen indicator is marked among the links that choose another one.
    assert f'href="?indicateur=satisfaction" aria-current="true">{_satisfaction().name}' in html
    assert html.count('aria-current="true"') == 1
    # The départements' pages stay listed, below, collapsed.
    assert html.index("chart-carte-satisfaction") < html.index('data-testid="departement-links"')


def test_the_first_indicator_is_mapped_by_default(client, rated):
    html = client.get(reverse("indicators:nation")).content.decode()
    first = INDICATORS[0]
    assert f'href="?indicateur={first.slug}" aria-current="true"' in html
    assert f'data-testid="chart-carte-{first.slug}"' in html or 'data-testid="map-empty"' in html


def test_an_indicator_without_any_value_says_there_is_no_map(client, db):
    DepartementFactory(code="01", name="Ain")
    html = client.get(reverse("indicators:nation"), {"indicateur": "satisfaction"})
    assert 'data-testid="map-empty"' in html.content.decode()


@pytest.mark.parametrize(
    "query", [{"indicateur": "inconnu"}, {"indicateur": "satisfaction", "semestre": "2026-S9"}]
)
def test_a_bad_choice_is_a_clear_404(client, rated, query):
    assert client.get(reverse("indicators:nation"), query).status_code == 404


def test_the_map_adds_two_queries_whatever_the_data(client, rated, django_assert_max_num_queries):
    for point in ContactPointFactory.create_batch(3):
        ExperienceFactory.create_batch(3, contact_point=point, published=True, occurred_on=DAY)
    with django_assert_max_num_queries(7):  # DSFR (2), results (2), départements, map (2)
        client.get(reverse("indicators:nation"), {"indicateur": "satisfaction"})
