"""An account of a dev wiki acting through the real Action API, to make the edits a scenario needs.

The bot itself talks to wikis through pywikibot; pywikibot keeps one cookie jar per process, so it cannot be
several people at once. Tests and the demo need Alice, Bob and Mallory side by side: each WikiUser has its own
HTTP session and logs in with the BotPassword scripts/devwiki made for it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import requests

from bot.config import PROJECT_ROOT, load_settings

STATE = Path(os.environ.get("DEVWIKI_STATE", PROJECT_ROOT / ".devwiki"))
APP_ID = "pebot"


def devwiki_secrets() -> dict[str, str]:
    secrets = {}
    for line in (STATE / "secrets.env").read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        secrets[key] = value
    return secrets


class WikiError(Exception):
    """The API answered with an error (its code and text are in the message)."""


class WikiUser:
    def __init__(self, api_url: str, username: str, botpassword: str) -> None:
        self.api_url = api_url
        self.username = username
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "pebot-devtools/0.1 (local dev wiki)"
        token = self.get(action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        result = self.post(action="login", lgname=f"{username}@{APP_ID}", lgpassword=botpassword, lgtoken=token)
        if result["login"]["result"] != "Success":
            raise WikiError(f"login as {username} failed: {result['login']}")
        self._csrf: str | None = None

    @classmethod
    def on(cls, wiki: str, username: str) -> WikiUser:
        """Log in as one of the accounts scripts/devwiki created, with its BotPassword."""
        return cls(load_settings().wiki(wiki).api_url, username, devwiki_secrets()[f"BOTPASSWORD_{username}"])

    def _check(self, response: requests.Response) -> dict[str, Any]:
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        if "error" in data:
            raise WikiError(f"{data['error'].get('code')}: {data['error'].get('info')}")
        return data

    def get(self, **params: Any) -> dict[str, Any]:
        return self._check(self.session.get(self.api_url, params={**params, "format": "json"}, timeout=60))

    def post(self, files: dict[str, Any] | None = None, **params: Any) -> dict[str, Any]:
        return self._check(self.session.post(self.api_url, data={**params, "format": "json"}, files=files, timeout=300))

    @property
    def csrf(self) -> str:
        if self._csrf is None:
            self._csrf = self.get(action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        return self._csrf

    def edit(self, title: str, text: str | None = None, summary: str = "", **extra: Any) -> int:
        """Save a page (or append with ``appendtext=``); returns the new revision id (the old one for a null edit)."""
        params = {"title": title, "summary": summary, **extra}
        if text is not None:
            params["text"] = text
        result = self.post(action="edit", token=self.csrf, **params)["edit"]
        if result.get("result") != "Success":
            raise WikiError(f"edit of {title} failed: {result}")
        return int(result.get("newrevid") or result.get("oldrevid") or 0)

    def page_text(self, title: str) -> str | None:
        pages = self.get(
            action="query", prop="revisions", titles=title, rvprop="content", rvslots="main", formatversion=2
        )["query"]["pages"]
        if pages[0].get("missing"):
            return None
        return str(pages[0]["revisions"][0]["slots"]["main"]["content"])

    def revisions(self, title: str) -> list[dict[str, Any]]:
        """The page's history, oldest first (the API's own, to check our counts against)."""
        pages = self.get(
            action="query", prop="revisions", titles=title, rvprop="ids|user|timestamp|size|comment",
            rvlimit="max", rvdir="newer", formatversion=2,
        )["query"]["pages"]  # fmt: skip
        return list(pages[0].get("revisions", []))

    def contributions(self, username: str) -> list[dict[str, Any]]:
        return list(
            self.get(action="query", list="usercontribs", ucuser=username, uclimit="max", formatversion=2)["query"][
                "usercontribs"
            ]
        )
