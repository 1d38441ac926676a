"""Journey "results in the open": a visitor opens the baromètre des résultats, finds a policy,
sorts its values per département, then opens a département. axe-core on every page; the same
pages without JavaScript at 320 px."""

import pytest
from playwright.sync_api import expect

from ecoute.policies.importers import load_barometre_resultats
from tests.factories import DepartementFactory, RegionFactory
from tests.policies.sample import build_sample

from .axe import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def barometre(tmp_path):
    RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    DepartementFactory(code="01", name="Ain", region__code="84")
    DepartementFactory(
        code="53", name="Mayenne", region=RegionFactory(code="52", name="Pays de la Loire")
    )
    load_barometre_resultats(build_sample(tmp_path))


def test_visitor_reads_a_policy_then_a_departement(page, barometre):
    page.goto("/")
    page.get_by_test_id("nav-indicators").first.click()
    page.get_by_test_id("link-barometre-resultats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Baromètre des résultats de l'action publique"
    )
    expect(page.get_by_test_id("edition-name")).to_contain_text("octobre 2024")
    assert_accessible(page, "barometre index")

    page.get_by_label("Mot du nom de la politique ou d'un indicateur").fill("satisfaction")
    page.get_by_test_id("policy-filter").get_by_role("button", name="Filtrer").click()
    page.get_by_role("link", name="Consolider le réseau des espaces France services").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Consolider le réseau des espaces France services"
    )
    expect(page.get_by_test_id("national-IND-246")).to_be_visible()
    assert_accessible(page, "policy page")

    table = page.get_by_test_id("departements-IND-246")
    table.get_by_role("link", name="Valeur actuelle").click()
    expect(page.get_by_test_id("departements-IND-246").locator("th[aria-sort]")).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert_accessible(page, "policy page, sorted")

    page.get_by_test_id("departements-IND-246").get_by_role("link", name="Mayenne (53)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mayenne")
    expect(page.get_by_test_id("row-IND-246")).to_be_visible()
    assert_accessible(page, "departement page")

    # The 2023 edition of the same département, then back to a policy from its table.
    page.get_by_test_id("edition-switch").get_by_role("link", name="Édition 2023").click()
    expect(page.get_by_test_id("row-tx-transparence-resultats")).to_be_visible()
    page.get_by_test_id("row-tx-transparence-resultats").get_by_role("link").click()
    expect(page.get_by_test_id("indicator-tx-transparence-resultats")).to_be_visible()
    assert_accessible(page, "2023 policy page")


def test_pages_work_without_javascript_at_320_px(browser, live_server, barometre):
    # (axe-core and page.evaluate need JavaScript: without it the flow is checked through
    # what is visible and clickable; axe runs on the same pages at 320 px just below.)
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 320, "height": 800},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/barometre-resultats/2024/")
        page.get_by_label("Département", exact=True).select_option("01")
        page.get_by_role("button", name="Voir ce département").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Ain")
        page.goto("/barometre-resultats/2024/politiques/CH-146/")
        page.get_by_test_id("departements-IND-246").get_by_role("link", name="Cible").click()
        expect(page).to_have_url(
            f"{live_server.url}/barometre-resultats/2024/politiques/CH-146/?tri=cible&ordre=asc#indicateur-IND-246"
        )
    finally:
        context.close()


@pytest.mark.parametrize(
    "url",
    ["/barometre-resultats/2024/politiques/CH-146/", "/barometre-resultats/2024/departements/01/"],
)
def test_pages_are_accessible_at_320_px(page, barometre, url):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(url)
    assert_accessible(page, f"{url} at 320 px")
    # Nothing overflows the viewport: wide tables scroll inside their own wrapper.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{url} is {width} px wide at 320 px"


def test_another_indicator_is_detailed_from_the_national_table(browser, live_server, barometre):
    """Without JavaScript: the indicator's name in the national table opens its detail; the
    page then shows that one indicator's table per département, not the other's."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/barometre-resultats/2024/politiques/CH-146/")
        expect(page.get_by_test_id("departements-IND-246")).to_be_visible()
        expect(page.get_by_test_id("departements-IND-323")).to_have_count(0)
        page.get_by_test_id("national-IND-323").get_by_role("link").click()
        expect(page).to_have_url(
            f"{live_server.url}/barometre-resultats/2024/politiques/CH-146/"
            "?indicateur=IND-323#indicateur-IND-323"
        )
        expect(page.get_by_test_id("indicator-IND-323")).to_be_visible()
        expect(page.get_by_test_id("departements-IND-246")).to_have_count(0)
    finally:
        context.close()


def test_the_detail_of_another_indicator_is_accessible(page, barometre):
    page.goto("/barometre-resultats/2024/politiques/CH-146/?indicateur=IND-323")
    expect(page.get_by_test_id("indicator-IND-323")).to_be_visible()
    assert_accessible(page, "policy page, second indicator")
