"""Find a service at 320 px with the keyboard only: the nearest counters, then a search."""

import pytest
from playwright.sync_api import expect

from tests.factories import (
    CommuneFactory,
    ContactPointFactory,
    DepartementFactory,
    NetworkFactory,
    OrganisationFactory,
    OrganisationTypeFactory,
    PostalCodeFactory,
)

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_find_nearest_then_search_by_keyboard_at_320px(new_page, live_server):
    cantal = DepartementFactory(code="15", name="Cantal")
    aurillac = CommuneFactory(
        code="15014", name="Aurillac", departement=cantal, latitude=44.9264, longitude=2.4397
    )
    PostalCodeFactory(code="15000", commune=aurillac)
    cpam = OrganisationFactory(
        name="CPAM AURILLAC",
        network=NetworkFactory(name="CNAM", slug="cnam"),
        type=OrganisationTypeFactory(sp_code="cpam", name="CPAM"),
        commune=aurillac,
        departement=cantal,
    )
    ContactPointFactory(
        organisation=cpam,
        name="CPAM AURILLAC",
        commune=aurillac,
        postal_code="15000",
        address="8 avenue Milhaud",
        latitude=44.9270,
        longitude=2.4420,
    )
    ContactPointFactory(
        organisation=cpam, channel="telephone", name="CPAM — téléphone", phone="3646", address=""
    )
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto("/services/pres-de-chez-moi/")
    assert_accessible(page, "near me (empty)")
    field = page.get_by_label("Commune ou code postal")
    field.focus()
    page.keyboard.type("15000")
    page.keyboard.press("Enter")
    results = page.get_by_test_id("nearby-results")
    expect(results.get_by_test_id("nearby-result")).to_have_count(1)
    expect(results.get_by_test_id("distance")).to_contain_text("km")
    expect(page.get_by_test_id("nearby-origin")).to_contain_text("Aurillac (15)")
    assert_accessible(page, "near me results")

    page.goto("/services/")
    field = page.get_by_label("Nom du service, commune, code postal ou département")
    field.focus()
    page.keyboard.type("CPAM du Cantal")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("result-count")).to_contain_text("1 service trouvé")
    result = page.get_by_test_id("result").first
    expect(result).to_contain_text("CPAM AURILLAC")
    expect(result).to_contain_text("3646")
    assert_accessible(page, "search results")
    # Tab to the service's link and open it with the keyboard.
    link = result.get_by_role("link", name="CPAM AURILLAC", exact=True)
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("contact-point-name")).to_have_text("CPAM AURILLAC")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"horizontal scroll at 320 px ({width} px)"
