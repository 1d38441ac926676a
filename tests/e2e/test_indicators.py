"""Journey "results in the open": an administrator imports a file of measurements through the
admin — refused with a line-numbered report, then accepted once corrected — and a visitor
reads the indicator's definition page, its national value and its table per département, with
JavaScript off. Debian's chromium, axe-core on the public pages."""

import pytest
from playwright.sync_api import expect

from ecoute.indicators.models import Measurement
from tests.factories import ContactPointFactory, OrganisationFactory, UserFactory

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser

HEADER = "indicateur,code_sp,point_de_contact,periode,numerateur,denominateur\n"
BAD = HEADER + (
    "taux-decroche,AG-01,,2026-01,80,100\n"
    "taux-decroche,AG-01,,2026-13,1,2\n"  # line 3: no such month
    "satisfaction,AG-01,,2026-01,1,2\n"  # line 4: felt, not imported
)
GOOD = HEADER + "taux-decroche,AG-01,,2026-01,80,100\ntaux-decroche,,sp:AG-01:tel,2026-02,9,10\n"


def _upload(page, name: str, content: str) -> None:
    page.get_by_label("Fichier CSV des mesures").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    page.get_by_test_id("import-submit").click()


def test_an_import_with_errors_then_the_definition_page(new_page, live_server, browser):
    agency = OrganisationFactory(name="Agence de Bourg", sp_code="AG-01")
    ContactPointFactory(organisation=agency, source_key="sp:AG-01:tel")
    admin = UserFactory(is_staff=True, is_superuser=True)

    page = new_page()
    _login(page, admin.username)
    page.goto("/admin/indicators/measurement/")
    page.get_by_test_id("import-link").click()
    _upload(page, "mesures-fausses.csv", BAD)
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("Ligne 3 : période « 2026-13 » invalide")
    expect(errors).to_contain_text("Ligne 4 : l'indicateur « satisfaction » est calculé")
    expect(page.get_by_test_id("import-summary")).to_contain_text("rien n'a été enregistré")
    assert not Measurement.objects.exists()

    _upload(page, "mesures.csv", GOOD)
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 mesure(s) nouvelle(s)")
    _upload(page, "mesures.csv", GOOD)  # the same file again changes nothing
    expect(page.get_by_test_id("import-summary")).to_contain_text("2 inchangée(s)")
    assert Measurement.objects.count() == 2

    # A visitor, without JavaScript, finds the indicator from the header menu.
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    visitor.goto("/")
    visitor.get_by_test_id("nav-indicators").first.click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Les indicateurs des services publics"
    )
    visitor.get_by_role("link", name="Taux de décroché").click()
    expect(visitor.get_by_test_id("indicator-definition")).to_contain_text(
        "appels pris par un agent ÷ appels demandant un agent"
    )
    national = visitor.get_by_test_id("result-taux-decroche")
    expect(national).to_contain_text("81 %")  # (80 + 9) ÷ (100 + 10), never a mean of rates
    expect(national).to_contain_text("sur 110 appels")
    # The Ain counts the contact point's measurement (9/10); the agency's own has no place.
    expect(visitor.get_by_test_id("departement-01")).to_contain_text("90 %")
    visitor.get_by_role("link", name="Ain (01)").click()
    expect(visitor.get_by_test_id("results-departement")).to_contain_text("Ain (01)")
    context.close()

    # axe-core runs in the page: the same pages with JavaScript on.
    checker = new_page()
    for url, label in [
        ("/indicateurs/", "indicators list"),
        ("/indicateurs/taux-decroche/", "indicator definition page"),
        ("/resultats/departements/01/", "département results page"),
        ("/resultats/", "national results page"),
    ]:
        checker.goto(url)
        expect(checker.locator("h1")).to_be_visible()
        assert_accessible(checker, label)
