"""Journey "Services Publics + barometer": a publisher prepares the edition of a finished
semester, previews exactly what will be published, confirms and publishes it; a visitor,
without JavaScript, reads it from /barometre/ down to a network and a département. axe-core on
the public pages and the publisher's pages."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from ecoute.barometre.models import Edition
from tests.barometre.conftest import publisher_account
from tests.barometre.helpers import delete_every_edition
from tests.factories import (
    ContactPointFactory,
    ExperienceFactory,
    NetworkFactory,
    OrganisationFactory,
)

from .axe import assert_accessible
from .test_journey import _login

pytestmark = pytest.mark.browser

IN_S1 = dt.date(2025, 3, 10)


@pytest.fixture
def editions_cleared(live_server):
    """Published editions are frozen: clear them before the live server's flush."""
    yield
    delete_every_edition()


def test_a_publisher_publishes_an_edition_and_a_visitor_reads_it(
    new_page, live_server, browser, editions_cleared
):
    network = NetworkFactory(name="Caisses d'allocations familiales", slug="cnaf")
    point = ContactPointFactory(
        organisation=OrganisationFactory(name="Caf de l'Ain", network=network)
    )
    for mark in (5, 4, 2, 1):
        ExperienceFactory(
            contact_point=point, published=True, occurred_on=IN_S1, rating_satisfaction=mark
        )
    publisher = publisher_account(username="publieur")

    page = new_page()
    _login(page, publisher.username)
    page.goto("/barometre/")
    expect(page.get_by_test_id("no-edition")).to_be_visible()
    page.get_by_test_id("manage-link").click()
    assert_accessible(page, "barometer management page")
    page.get_by_label("Semestre").fill("2025-S1")
    page.get_by_test_id("prepare-submit").click()

    # The preview: exactly what will be published, not public yet.
    expect(page.get_by_test_id("edition-status")).to_contain_text("brouillon non publié")
    expect(
        page.get_by_test_id("national-table").get_by_test_id("value-satisfaction")
    ).to_contain_text("50,0")
    assert_accessible(page, "barometer preview page")
    page.get_by_test_id("publish-submit").click()  # not confirmed: refused
    expect(page.get_by_text("Cochez la case pour confirmer la publication.").first).to_be_visible()
    assert not Edition.objects.filter(status="published").exists()
    page.get_by_text("Je confirme la publication").click()
    page.get_by_test_id("publish-submit").click()
    expect(page.get_by_test_id("edition-status")).to_contain_text("publiée le")
    assert page.url.endswith("/barometre/2025-S1/v1/")

    # A visitor, without JavaScript, from the results navigation down to a département.
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="fr-FR"
    )
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    visitor.goto("/indicateurs/")
    visitor.get_by_test_id("link-barometre-sp").click()
    expect(visitor.get_by_test_id("latest-edition")).to_contain_text("1er semestre 2025")
    national = visitor.get_by_test_id("national-table")
    expect(national.get_by_test_id("value-satisfaction")).to_contain_text("50,0")
    expect(national.get_by_test_id("change-satisfaction")).to_contain_text(
        "pas d'édition précédente"
    )
    visitor.get_by_test_id("edition-link").click()
    visitor.get_by_role("link", name="Délais").click()  # the map of another indicator
    expect(visitor.get_by_test_id("chart-carte-delais")).to_be_visible()
    visitor.get_by_role("link", name="Caisses d'allocations familiales").click()
    expect(visitor.get_by_test_id("scope-network")).to_contain_text(
        "Caisses d'allocations familiales"
    )
    context.close()

    checker = new_page()
    departement = point.departement.code
    for url, label in [
        ("/barometre/", "barometer"),
        ("/barometre/2025-S1/v1/", "barometer edition"),
        ("/barometre/2025-S1/v1/reseaux/cnaf/", "barometer network page"),
        (f"/barometre/2025-S1/v1/departements/{departement}/", "barometer département page"),
    ]:
        checker.goto(url)
        expect(checker.locator("h1")).to_be_visible()
        assert_accessible(checker, label)
