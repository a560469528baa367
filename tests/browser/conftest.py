"""Fixtures for browser tests: Debian's Chromium driven by Playwright.

Each test gets the real content library imported into a transactional
database served by pytest-django's ``live_server``. ``page`` fails the test on
any console error, uncaught exception or Content-Security-Policy violation.

Every test in this folder is marked ``browser`` and
``django_db(transaction=True)`` here (the live server needs committed data),
and skipped with a reason when /usr/bin/chromium is missing.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command

# Playwright's sync API runs an asyncio loop in this thread; Django refuses
# ORM calls while a loop runs unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = "Browser tests need Chromium at /usr/bin/chromium (apt-get install chromium)"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Report CSP violations to the console, where the page fixture collects them
# (Chromium logs most of them itself; this catches the rest).
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
});
"""


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by marker
def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder as a browser test on committed data; skip them all,
    with a clear reason, when Chromium is missing."""
    here = Path(__file__).parent
    markers = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
    if not CHROMIUM.exists():
        markers.append(pytest.mark.skip(reason=CHROMIUM_MISSING))
    for item in items:
        if here in Path(item.fspath).parents:
            for marker in markers:
                item.add_marker(marker)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(CHROMIUM_MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site_content(transactional_db):
    """The real content library, imported for this test (and no pages cached from before)."""
    cache.clear()
    call_command("import_content", str(settings.CONTENT_DIR), verbosity=0)


@pytest.fixture
def console_errors():
    """Console errors, page errors and CSP violations seen during the test.

    A test that provokes an error on purpose can clear this list.
    """
    return []


@pytest.fixture
def page(browser, live_server, site_content, console_errors):
    """A JavaScript-enabled page on the live server; fails the test on console errors."""
    context = browser.new_context(base_url=live_server.url)
    context.add_init_script(CSP_LISTENER)
    page = context.new_page()
    page.on(
        "console",
        lambda message: (
            console_errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: console_errors.append(f"page error: {error}"))
    yield page
    context.close()
    if console_errors:
        pytest.fail("Browser reported errors:\n" + "\n".join(console_errors))


@pytest.fixture
def page_without_js(browser, live_server, site_content):
    """A page on the live server with JavaScript switched off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    yield context.new_page()
    context.close()


def _axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    return results.response["violations"]


@pytest.fixture
def assert_no_axe_violations():
    """A function that fails the test if axe-core finds WCAG 2.x A/AA problems on a page."""

    def check(page):
        violations = _axe_violations(page)
        report = "\n".join(
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
            for v in violations
        )
        assert not violations, f"axe found problems on {page.url}:\n{report}"

    return check
