"""The site looks like a Wikimedia tool: the Codex design tokens vendored by the build (scripts/site-assets, run by
scripts/bootstrap and so by the test command) and served from the site itself, a dark theme under
prefers-color-scheme, a layout for narrow screens, and tables a screen reader can navigate."""

from __future__ import annotations

import json
import re

from flask.testing import FlaskClient

from bot.config import PROJECT_ROOT
from tests.test_site_pages import RIVERS, client, page

__all__ = ["client"]  # the fixture, shared with the pages' tests

ASSETS = PROJECT_ROOT / "webservice" / "assets"


def test_codex_tokens_are_pinned_and_vendored_not_fetched(client: FlaskClient) -> None:
    pinned = json.loads((ASSETS / "package.json").read_text(encoding="utf-8"))["dependencies"]
    assert pinned == {"@wikimedia/codex-design-tokens": "2.7.0"}
    lock = json.loads((ASSETS / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/@wikimedia/codex-design-tokens"]["version"] == "2.7.0"
    html = page(client, "/")
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"( media="[^"]+")?>', html)
    vendor = "/static/vendor/codex-design-tokens"
    assert links == [
        (f"{vendor}/theme-wikimedia-ui-root.css", ""),
        (f"{vendor}/theme-wikimedia-ui-mode-dark.css", ' media="(prefers-color-scheme: dark)"'),
        ("/site.css", ""),
    ]
    for href, _media in links[:2]:
        response = client.get(href)
        assert response.status_code == 200 and response.mimetype == "text/css"
        sheet = response.get_data(as_text=True)
        assert "Codex Design Tokens v2.7.0" in sheet and "--background-color-base:" in sheet
    assert "--color-base: #eaecf0" in client.get(links[1][0]).get_data(as_text=True)  # light text on dark


def test_stylesheet_uses_the_tokens_and_fits_narrow_screens(client: FlaskClient) -> None:
    sheet = client.get("/site.css").get_data(as_text=True)
    assert "var(--background-color-base" in sheet and "var(--color-progressive" in sheet
    assert "@media (max-width: 640px)" in sheet and ".table-wrap { overflow-x: auto;" in sheet
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page(client, "/")


def test_tables_have_captions_scopes_and_sort_links(client: FlaskClient) -> None:
    html = page(client, f"/program/{RIVERS.key}/participants?sort=edits&order=desc&uselang=en")
    table = html.split('data-testid="participants-table">', 1)[1].split("</table>", 1)[0]
    assert table.lstrip().startswith("<caption>3 participants</caption>")
    assert (
        'aria-sort="descending"><a href="/program/devwiki:30/participants?sort=edits&amp;order=asc&amp;uselang=en"'
        in table
    )
    assert (
        'aria-sort="none"><a href="/program/devwiki:30/participants?sort=username&amp;order=asc&amp;uselang=en"'
        in table
    )
    assert table.count('<th scope="row">') == 3
    assert '<a class="skip" href="#content">' in html and '<main id="content">' in html
