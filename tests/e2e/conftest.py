"""Playwright fixtures: Debian's chromium against pytest-django's live server.

Chromium is looked up in $CHROMIUM_PATH, then on the PATH, then at /usr/bin/chromium. Without
it the browser tests are skipped, except when CI=true where a missing browser is a failure.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread: without this flag Django
# refuses ORM calls made here (factories, assertions, transactional_db flush).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).resolve().parent
SCREENSHOT_DIR = Path("/tmp/ecoute-e2e")  # noqa: S108 - failure screenshots, local only
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to (execute|load|apply|connect)", re.I)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test under tests/e2e is a browser test (select with -m browser / -m 'not browser')."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def find_chromium() -> str | None:
    candidates = [os.environ.get("CHROMIUM_PATH"), shutil.which("chromium"), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = find_chromium()
    if executable is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true requires Debian's chromium (apt-get install chromium)")
        pytest.skip(
            "Chromium not found: browser tests skipped; install Debian's chromium to run them"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class BrowserProblems:
    """Console errors the app must never produce: CSP refusals and uncaught JS exceptions."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page) -> None:
        def on_console(message) -> None:
            text = message.text
            if message.type == "error" and CSP_MESSAGE.search(text):
                self.messages.append(f"{page.url}: {text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.messages.append(f"{page.url}: {error}"))


@pytest.fixture
def browser_problems() -> BrowserProblems:
    return BrowserProblems()


@pytest.fixture
def new_page(
    request: pytest.FixtureRequest,
    browser,
    live_server,
    browser_problems,
) -> Iterator[Callable[[], object]]:
    """Open pages in fresh browser contexts (one context = one visitor with its own cookies).

    Pages and contexts are closed at teardown; on failure each open page is saved as a
    screenshot under /tmp/ecoute-e2e/.
    """
    contexts = []

    def open_page():
        context = browser.new_context(
            base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris"
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        browser_problems.watch(page)
        return page

    yield open_page

    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            for index, page in enumerate(context.pages):
                path = SCREENSHOT_DIR / f"{request.node.name}-{number}-{index}.png"
                try:
                    page.screenshot(path=str(path), full_page=True)
                except Exception as error:  # a screenshot must not hide the failure
                    print(f"screenshot failed: {error}")
                else:
                    print(f"screenshot: {path}")
        context.close()
    assert not browser_problems.messages, "Browser errors:\n" + "\n".join(browser_problems.messages)


@pytest.fixture
def page(new_page):
    return new_page()
