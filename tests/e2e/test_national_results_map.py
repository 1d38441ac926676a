"""The national results page's map of the départements: an indicator chosen by a link with
JavaScript off, the map's table opened from its summary; axe-core on the page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.factories import ContactPointFactory, ExperienceFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def rated():
    """Two published experiences at a contact point of the Ain (01), both satisfied."""
    point = ContactPointFactory()
    for mark in (5, 4):
        ExperienceFactory(
            contact_point=point,
            published=True,
            occurred_on=dt.date(2026, 3, 10),
            rating_satisfaction=mark,
        )
    return point


def test_a_visitor_maps_an_indicator_without_javascript(browser, live_server, rated):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/resultats/")
        page.get_by_test_id("map-indicators").get_by_role("link", name="Satisfaction").click()
        expect(page).to_have_url(f"{live_server.url}/resultats/?indicateur=satisfaction")
        chart = page.get_by_test_id("chart-carte-satisfaction")
        expect(chart).to_be_visible()
        chart.get_by_text("Voir les données sous forme de tableau").click()
        expect(page.get_by_test_id("chart-table-carte-satisfaction")).to_contain_text("100")
    finally:
        context.close()


def test_the_national_map_is_accessible(page, rated):
    page.goto("/resultats/?indicateur=satisfaction")
    expect(page.get_by_test_id("chart-carte-satisfaction")).to_be_visible()
    assert_accessible(page, "national results with the map")
