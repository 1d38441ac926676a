"""The public-service pages in a real browser, and the header menu without JavaScript at 320 px.

axe-core checks each page at 1280 and 320 px wide, in French and English. Without JavaScript
the DSFR burger button cannot open the menu: the header's links must still be visible,
clickable and reachable with the keyboard.
"""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ContactPointFactory, EngagementFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

PAGES = [
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/accessibilite/",
    "/conditions-utilisation/",
    "/aide/",
    "/plan-du-site/",
    "/engagements/",
]
WIDTHS = [1280, 320]


def _no_js_page(browser, live_server, width: int):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": width, "height": 800},
        locale="fr-FR",
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_public_service_pages_are_accessible(page, width):
    EngagementFactory(number=1)
    contact_point = ContactPointFactory()
    page.set_viewport_size({"width": width, "height": 900})
    for url in [*PAGES, contact_point.get_absolute_url()]:
        page.goto(url)
        expect(page.locator("h1")).to_be_visible()
        assert_accessible(page, f"{url} at {width} px")
    # The English version too (the language button is in the header's tools).
    page.goto("/")
    if width < 992:  # DSFR hides the tools behind the burger on small screens, with JS
        page.locator("#button-menu").click()
    page.get_by_role("button", name="English").first.click()
    for url in PAGES:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        assert_accessible(page, f"{url} in English at {width} px")


def test_the_plan_du_site_leads_everywhere_it_lists(page):
    page.goto("/")
    page.get_by_test_id("footer-sitemap").click()
    expect(page.locator("h1")).to_have_text("Plan du site")
    links = page.get_by_test_id("sitemap").get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert "/mentions-legales/" in hrefs and "/engagements/" in hrefs
    for href in hrefs:
        # A listed download (CSV, iCalendar) is fetched, not opened: the browser would save it.
        downloads = {".csv": "text/csv", ".ics": "text/calendar"}
        kind = next((t for end, t in downloads.items() if href.endswith(end)), None)
        if kind is not None:
            download = page.request.get(href)
            assert download.status == 200 and kind in download.headers["content-type"], href
            continue
        response = page.goto(href)
        assert response is not None and response.status == 200, href


@pytest.mark.parametrize("width", [320, 1280])
def test_header_links_without_javascript(browser, live_server, width):
    context, page = _no_js_page(browser, live_server, width)
    try:
        page.goto("/")
        # The burger needs JavaScript: it is hidden, the links themselves are shown.
        expect(page.locator("#button-menu")).to_be_hidden()
        login = page.get_by_test_id("header-login")
        expect(login).to_be_visible()
        expect(page.get_by_test_id("header-signup")).to_be_visible()
        expect(page.get_by_role("button", name="English")).to_be_visible()
        expect(page.get_by_role("link", name="Trouver un service").first).to_be_visible()
        # (axe-core and page.evaluate need JavaScript: the layout is checked through the
        # visible elements above; axe runs on these pages with JavaScript at both widths.)
        login.click()
        expect(page).to_have_url(f"{live_server.url}/compte/connexion/")
    finally:
        context.close()


def test_header_login_reachable_by_keyboard_without_javascript(browser, live_server):
    context, page = _no_js_page(browser, live_server, 320)
    try:
        page.goto("/")
        for _ in range(15):
            page.keyboard.press("Tab")
            if page.locator(":focus").get_attribute("data-testid") == "header-login":
                break
        else:
            pytest.fail("the login link is not reachable with Tab at 320 px without JavaScript")
        page.keyboard.press("Enter")
        expect(page).to_have_url(f"{live_server.url}/compte/connexion/")
    finally:
        context.close()


def test_signed_in_header_without_javascript_keeps_account_and_logout(browser, live_server):
    user = UserFactory(moderator=True)
    context, page = _no_js_page(browser, live_server, 320)
    try:
        page.goto("/compte/connexion/")
        page.get_by_label("Pseudonyme ou adresse électronique").fill(user.username)
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_test_id("login-submit").click()
        expect(page.get_by_test_id("header-profile")).to_be_visible()
        expect(page.get_by_test_id("header-logout")).to_be_visible()
        expect(page.get_by_test_id("nav-moderation")).to_be_visible()
        page.get_by_test_id("nav-moderation").click()
        expect(page).to_have_url(f"{live_server.url}/moderation/")
    finally:
        context.close()
