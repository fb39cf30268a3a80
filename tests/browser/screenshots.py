"""Full-page PNGs of the main pages for a person to review: the folder the README names, ignored by git."""

from __future__ import annotations

from playwright.sync_api import Page

from bot.config import PROJECT_ROOT

SCREENSHOTS = PROJECT_ROOT / "screenshots"


def screenshot(page: Page, name: str) -> None:
    """Save the page as it is now, full length, in light and in dark mode: screenshots/<name>-light.png, -dark.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=SCREENSHOTS / f"{name}-{scheme}.png", full_page=True)
    page.emulate_media(color_scheme="light")
