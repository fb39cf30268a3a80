"""The site served on localhost over the bot's data (site_data.py), and Debian's headless Chromium driven by Playwright.

Playwright's own browser download (``playwright install``) is never used: the tests launch ``/usr/bin/chromium``
(scripts/bootstrap installs it) with a fresh, empty profile, no network besides loopback traffic and nothing in the
background, so a run depends on no service outside this machine. The data is built once for the package: building
it resets the dev wikis, makes about 100 edits and runs the bot (about 30 s).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Playwright, sync_playwright
from werkzeug.serving import make_server

from tests.browser.site_data import SiteData, build
from webservice import app as webapp

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)  # fmt: skip


@pytest.fixture(scope="package")
def site_data(tmp_path_factory: pytest.TempPathFactory) -> SiteData:
    return build(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="package")
def site(site_data: SiteData) -> Iterator[str]:
    """The Flask app on a real threaded HTTP server on 127.0.0.1 (a free port), reading the built store; yields its
    base URL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(webapp, "settings", site_data.settings)
        server = make_server("127.0.0.1", 0, webapp.app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name="site", daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="package")
def browser(playwright: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: run scripts/bootstrap"
    context = playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("chromium-profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=list(CHROMIUM_ARGS),
        accept_downloads=True,
        viewport={"width": 1280, "height": 800},
    )
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser: BrowserContext, site: str) -> Iterator[Page]:
    """A new tab in light mode, English; closed after the test."""
    tab = browser.new_page()
    tab.emulate_media(color_scheme="light")
    tab.set_extra_http_headers({"Accept-Language": "en"})
    try:
        yield tab
    finally:
        tab.close()
