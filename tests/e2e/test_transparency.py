"""Journey "transparency rate": a visitor, JavaScript off, goes from the indicators to the
transparency rate, reads the national figures (Écoute's and the State's), the two maps, the
table per département with the gap and the table per network, downloads a CSV, then finds the
rate on a network's results page. axe-core on the three pages."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.indicators.test_transparency import (  # noqa: F401 - fixtures
    LABEL,
    barometre_dir,
    directory,
    state,
)

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def test_the_transparency_rate_beside_the_states(state, browser, live_server, new_page):  # noqa: F811
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    visitor.goto("/indicateurs/")
    visitor.get_by_test_id("link-transparency").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Taux de transparence des services publics"
    )
    expect(visitor.get_by_test_id("transparency-definition")).to_contain_text(
        "un guichet en activité de l'annuaire d'Écoute"
    )
    nation = visitor.get_by_test_id("transparency-nation")
    expect(nation).to_contain_text("50 %")
    expect(nation).to_contain_text("3 lieux d'accueil sur 6 publient leurs résultats")
    expect(visitor.get_by_test_id("transparency-networks")).to_contain_text(
        "1 réseau sur 3 publie dans plus des deux tiers de ses lieux d'accueil"
    )
    expect(visitor.get_by_test_id("transparency-state")).to_contain_text("79 %")
    expect(visitor.get_by_test_id("transparency-state")).to_contain_text("31 décembre 2022")
    expect(visitor.get_by_test_id("chart-carte-transparence-ecoute")).to_be_visible()
    expect(visitor.get_by_test_id("chart-carte-transparence-etat")).to_be_visible()
    ain = visitor.get_by_test_id("departements-01")
    for text in ("Ain", "67 %", "75 %", "76 %", "-1"):
        expect(ain).to_contain_text(text)
    expect(visitor.get_by_test_id("reseaux-urssaf")).to_contain_text("oui")
    expect(visitor.get_by_test_id("transparency-difference")).to_contain_text(
        "l'écart dit où les deux sources divergent"
    )

    with visitor.expect_download() as download:
        visitor.get_by_test_id("csv-departements").click()
    assert download.value.suggested_filename == f"transparence-departements-{LABEL}.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "01,Ain,2,3,66.7,75.0,76.0,-1.0" in content

    visitor.get_by_test_id("reseaux-caf").get_by_role("link", name="Caf").click()
    summary = visitor.get_by_test_id("transparency-summary")
    expect(summary).to_contain_text("1 lieu d'accueil sur 3 publie ses résultats sur Écoute")
    summary.get_by_role("link").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Taux de transparence des services publics"
    )
    context.close()

    checker = new_page()
    for url, label in [
        ("/resultats/transparence/", "transparency page"),
        ("/resultats/reseaux/caf/", "network results page"),
        ("/resultats/departements/53/", "département results page"),
    ]:
        checker.goto(url)
        expect(checker.locator("h1")).to_be_visible()
        assert_accessible(checker, label)
