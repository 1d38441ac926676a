"""France services at 320 px: the nearest points by postal code (keyboard), the map's data table
and CSV, then the coverage page; axe on each page; the search works without JavaScript too."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ecoute.france_services.actions import compute_coverage
from tests.france_services.conftest import network, places  # noqa: F401 - fixtures

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_nearest_by_postal_code_then_coverage(new_page, live_server, places):  # noqa: F811
    compute_coverage()
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto("/france-services/")
    assert_accessible(page, "France services (map, empty search)")
    field = page.get_by_label("Commune ou code postal")
    field.focus()
    page.keyboard.type("15000")
    page.keyboard.press("Enter")
    results = page.get_by_test_id("fs-nearest-results")
    expect(results.get_by_test_id("fs-nearest-result")).to_have_count(3)
    first = results.get_by_test_id("fs-nearest-result").first
    expect(first).to_contain_text("France services centre")
    expect(first.get_by_test_id("fs-distance")).to_have_text("0,4 km")
    expect(first.get_by_test_id("fs-hours")).to_contain_text(
        "Lundi : 09:00 - 12:00 / 13:30 - 17:00"
    )
    expect(first.get_by_test_id("fs-appointment")).to_be_visible()
    expect(page.get_by_test_id("fs-nearest-origin")).to_contain_text("Aurillac (15)")
    assert_accessible(page, "France services nearest results")

    # The map's data: a table behind a <details>, and the same as CSV.
    chart = page.get_by_test_id("chart-france-services-par-departement")
    expect(chart.get_by_role("img")).to_have_count(1)
    chart.locator("summary").click()
    table = chart.get_by_test_id("chart-table-france-services-par-departement")
    expect(table.get_by_role("row", name="15 Cantal 3")).to_be_visible()
    with page.expect_download() as download_info:
        chart.get_by_test_id("chart-csv-france-services-par-departement").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert ["15", "Cantal", "3"] == rows[next(i for i, r in enumerate(rows) if r[0] == "15")][:3]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"horizontal scroll at 320 px ({width} px)"

    page.get_by_role(
        "link", name="Quelle part de la population vit près d'un France services ?"
    ).click()
    expect(page.locator("h1")).to_have_text("Couverture du territoire par France services")
    expect(page.get_by_test_id("fs-coverage-target")).to_contain_text(
        "100,0 % de la population à moins de 20 minutes"
    )
    expect(page.get_by_test_id("fs-coverage-national").get_by_role("row")).to_have_count(4)
    expect(page.get_by_test_id("fs-coverage-assumptions")).to_contain_text("coefficient de détour")
    assert_accessible(page, "France services coverage")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"horizontal scroll at 320 px ({width} px)"


def test_nearest_search_without_javascript(browser, live_server, places):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    try:
        page = context.new_page()
        page.set_viewport_size({"width": 320, "height": 800})
        page.goto("/france-services/")
        page.get_by_label("Commune ou code postal").fill("Atlantide")
        page.get_by_test_id("fs-nearest-submit").click()
        expect(
            page.get_by_text("Nous ne trouvons ni cette commune ni ce code postal.")
        ).to_be_visible()
        page.get_by_label("Commune ou code postal").fill("aurillac")
        page.get_by_test_id("fs-nearest-submit").click()
        expect(page.get_by_test_id("fs-nearest-result")).to_have_count(3)
    finally:
        context.close()
