"""Scenario building for stats tests: page histories at chosen times and the other events a program sees.

Everything goes through real MediaWiki on the dev wikis (scripts/devwiki), never through SQL on its tables:

* ``import_revisions`` writes export-format XML (schema 0.11) and runs ``maintenance/importDump.php``, then
  ``refreshLinks.php`` on the imported pages, ``initSiteStats.php --update`` (and ``rebuildrecentchanges.php`` when
  a revision is recent enough to be in recent changes). Imported revisions keep their timestamps; their author is
  the local account of that name when it exists (else an ``imported>Name`` actor with no user; an IP address makes
  a logged-out edit); MediaWiki fills in ``rev_parent_id``, ``rev_len``, ``rev_sha1``, the page row and the link
  tables. importDump.php adds no null revision and no import log row (the API's ``action=import`` would add both).
* ``delete_page``, ``move_page``, ``hide_author``, ``upload_file``, ``use_file`` act through the Action API as an
  account (default ``Admin``, whose BotPassword has the delete and upload grants), at the current time.

Example::

    ids = import_revisions("devwiki", [
        Revision("River Tagus", 0, "Bob", "2024-03-01T10:00:00Z", "The '''Tagus'''.", "New article"),
        Revision("River Tagus", 0, "Carol", "2024-03-02T09:30:00Z", "The '''Tagus''' is a river.", "Expand"),
    ])
    hide_author("devwiki", ids[1])
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import ipaddress
import itertools
import os
import struct
import subprocess
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import requests

from bot.config import load_settings
from devtools.wikiuser import STATE, WikiError, WikiUser

MEDIAWIKI = Path(os.environ.get("MEDIAWIKI_DIR", "/usr/share/mediawiki"))
EXPORT_NS = "http://www.mediawiki.org/xml/export-0.11/"
# $wgRCMaxAge (MediaWiki's default; the dev wikis keep it): older revisions never reach recentchanges.
RC_MAX_AGE = timedelta(days=90)
# Serialization format of each content model we import (the export format names it per revision).
FORMATS = {
    "wikitext": "text/x-wiki",
    "wikibase-item": "application/json",
    "wikibase-property": "application/json",
    "json": "application/json",
    "text": "text/plain",
    "css": "text/css",
    "javascript": "text/javascript",
}


def utc(value: datetime | str) -> datetime:
    """A timestamp as an aware UTC datetime, from an aware datetime or ISO 8601 text such as 2024-03-01T10:00:00Z."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else value
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {value!r} has no time zone; use UTC (…Z or +00:00)")
    return moment.astimezone(UTC).replace(microsecond=0)


def mw_timestamp(value: datetime) -> str:
    """MediaWiki's ISO 8601 form (exports, API): 2024-03-01T10:00:00Z."""
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def sha1_base36(text: str) -> str:
    """rev_sha1 / the export format's <sha1>: SHA-1 of the UTF-8 text in base 36, 31 digits."""
    number = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)  # noqa: S324 - MediaWiki's content hash
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    return digits.rjust(31, "0")


@dataclass(frozen=True)
class Revision:
    """One revision to import.

    ``title`` is the page title without its namespace prefix (as ``page_title``, spaces or underscores), ``namespace``
    the namespace number (``page_namespace``). ``user`` is an account name (the local account when it exists) or an
    IP address. ``timestamp``: an aware datetime or ``YYYY-MM-DDTHH:MM:SSZ``. ``text`` is stored verbatim, so
    ``rev_len`` is its UTF-8 length.
    """

    title: str
    namespace: int
    user: str
    timestamp: datetime | str
    text: str
    comment: str = ""
    model: str = "wikitext"
    minor: bool = False

    def __post_init__(self) -> None:
        utc(self.timestamp)
        if self.model not in FORMATS:
            raise ValueError(f"unknown content model {self.model!r}; known: {', '.join(FORMATS)}")
        if not self.title.strip():
            raise ValueError("empty title")

    @property
    def when(self) -> datetime:
        """The timestamp as an aware UTC datetime."""
        return utc(self.timestamp)

    @property
    def page_title(self) -> str:
        """The title as the replicas store it (page_title): underscores, first letter upper case."""
        title = self.title.strip().replace(" ", "_")
        return title[:1].upper() + title[1:]

    @property
    def rev_len(self) -> int:
        """What MediaWiki stores as rev_len: the text's length in UTF-8 bytes."""
        return len(self.text.encode("utf-8"))

    @property
    def sha1(self) -> str:
        return sha1_base36(self.text)


# --- the wikis ------------------------------------------------------------------------------------------------


def api_url(wiki: str) -> str:
    return load_settings().wiki(wiki).api_url


@cache
def _reader() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "pebot-devtools/0.1 (local dev wiki scenarios)"
    return session


def api_get(wiki: str, **params: Any) -> dict[str, Any]:
    """An anonymous read through the Action API (formatversion 2)."""
    response = _reader().get(api_url(wiki), params={**params, "format": "json", "formatversion": 2}, timeout=60)
    response.raise_for_status()
    data: dict[str, Any] = response.json()
    if "error" in data:
        raise WikiError(f"{data['error'].get('code')}: {data['error'].get('info')}")
    return data


@cache
def namespace_names(wiki: str) -> dict[int, str]:
    """Namespace number -> local name ('' for the main namespace), from the wiki's siteinfo."""
    spaces = api_get(wiki, action="query", meta="siteinfo", siprop="namespaces")["query"]["namespaces"]
    return {int(number): str(space["name"]) for number, space in spaces.items()}


def prefixed(wiki: str, namespace: int, title: str) -> str:
    names = namespace_names(wiki)
    if namespace not in names:
        raise ValueError(f"{wiki} has no namespace {namespace}")
    return f"{names[namespace]}:{title}" if names[namespace] else title


def mwscript(wiki: str, script: str, *args: str, timeout: float = 600) -> str:
    """Run a MediaWiki maintenance script against one dev wiki (as scripts/devwiki's mwscript); returns stdout."""
    env = {**os.environ, "DEVWIKI": wiki, "MW_CONFIG_FILE": str(STATE / "LocalSettings.php"),
           "DEVWIKI_STATE": str(STATE)}  # fmt: skip
    result = subprocess.run(
        ["php", str(MEDIAWIKI / "maintenance" / script), *args],
        env=env, capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"{script} on {wiki} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


@contextlib.contextmanager
def farm_lock_shared() -> Iterator[None]:
    """Hold scripts/devwiki's farm lock shared, so that a reset or install started elsewhere (another test run on
    the same wikis) waits until we are done instead of dropping tables under a running maintenance script."""
    STATE.mkdir(parents=True, exist_ok=True)
    with open(STATE / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- imports --------------------------------------------------------------------------------------------------


def export_xml(wiki: str, revisions: Iterable[Revision]) -> str:
    """MediaWiki export format 0.11 for these revisions: one <page> per page, its revisions oldest first.

    Pages come in order of first appearance. Revisions of a page are sorted by timestamp (stable), because the
    importer takes each revision's parent to be the page's latest revision at or before its timestamp.
    """
    pages: dict[tuple[int, str], list[Revision]] = {}
    for revision in revisions:
        pages.setdefault((revision.namespace, revision.page_title), []).append(revision)
    names = namespace_names(wiki)
    out = [
        f'<mediawiki xmlns="{EXPORT_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{EXPORT_NS} http://www.mediawiki.org/xml/export-0.11.xsd" version="0.11" xml:lang="en">',
        "  <siteinfo>",
        f"    <sitename>{escape(wiki)}</sitename>",
        f"    <dbname>{escape(wiki)}</dbname>",
        "    <generator>pebot devtools.scenario</generator>",
        "    <case>first-letter</case>",
        "    <namespaces>",
        *(
            f'      <namespace key="{number}" case="first-letter">{escape(name)}</namespace>'
            for number, name in sorted(names.items())
        ),
        "    </namespaces>",
        "  </siteinfo>",
    ]
    for (namespace, title), history in pages.items():
        out += [
            "  <page>",
            f"    <title>{escape(prefixed(wiki, namespace, title.replace('_', ' ')))}</title>",
            f"    <ns>{namespace}</ns>",
        ]
        for revision in sorted(history, key=lambda r: r.when):
            out += _revision_xml(revision)
        out.append("  </page>")
    out.append("</mediawiki>\n")
    return "\n".join(out)


def _xml_text(text: str) -> str:
    # Escape CR too: an XML parser would turn CR LF into LF, and the text must arrive verbatim.
    return escape(text, {"\r": "&#13;"})


def _revision_xml(revision: Revision) -> list[str]:
    try:
        ipaddress.ip_address(revision.user)
        contributor = f"<ip>{escape(revision.user)}</ip>"
    except ValueError:
        contributor = f"<username>{escape(revision.user)}</username>"
    return [
        "    <revision>",
        f"      <timestamp>{mw_timestamp(revision.when)}</timestamp>",
        f"      <contributor>{contributor}</contributor>",
        *(["      <minor/>"] if revision.minor else []),
        f"      <comment>{_xml_text(revision.comment)}</comment>",
        f"      <model>{revision.model}</model>",
        f"      <format>{FORMATS[revision.model]}</format>",
        f'      <text bytes="{revision.rev_len}" xml:space="preserve">{_xml_text(revision.text)}</text>',
        f"      <sha1>{revision.sha1}</sha1>",
        "    </revision>",
    ]


@dataclass(frozen=True)
class ImportTimings:
    """Seconds spent in each step of an import (for benchmarks)."""

    import_dump: float = 0.0
    links: float = 0.0
    site_stats: float = 0.0
    recent_changes: float = 0.0
    lookup: float = 0.0

    @property
    def total(self) -> float:
        return self.import_dump + self.links + self.site_stats + self.recent_changes + self.lookup


last_import_timings = ImportTimings()


def import_revisions(wiki: str, revisions: Sequence[Revision], *, edit_updates: bool = False) -> list[int]:
    """Import these revisions into a dev wiki; returns their rev_ids, in the order given.

    By default importDump.php runs with ``--no-updates`` and then ``refreshLinks.php`` re-derives the link tables
    (pagelinks, categorylinks, templatelinks, imagelinks, ..., and the linktarget rows the replica views need) of
    the imported pages from their latest revision. ``edit_updates=True`` (automatic for the MediaWiki namespace)
    runs every update an edit runs instead: parser cache, search index, message cache, new-talk notices. Either way
    the site statistics are then recounted, and recent changes rebuilt when a revision is younger than $wgRCMaxAge
    (90 days). 100 revisions on 10 pages take about 2.2 s (importDump 1.0, rev_id lookup 0.3, refreshLinks 0.6,
    initSiteStats 0.15; recent revisions +0.4 s), 4 s with ``edit_updates``; see bench/import_revisions.py.
    The farm lock is held shared meanwhile, so a ``scripts/devwiki reset`` from elsewhere waits for the import.

    A revision identical to one the page already has (same timestamp and text) is not imported again; its existing
    rev_id is returned. Older revisions can be imported into a page with newer ones, but the newer ones keep their
    rev_parent_id.
    """
    global last_import_timings
    if not revisions:
        return []
    edit_updates = edit_updates or any(revision.namespace == 8 for revision in revisions)
    STATE.joinpath("tmp").mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", suffix=".xml", prefix=f"import-{wiki}-", dir=STATE / "tmp", delete=False
    ) as dump:
        dump.write(export_xml(wiki, revisions))
    try:
        with farm_lock_shared():
            clock = [time.monotonic()]
            mwscript(wiki, "importDump.php", "--quiet", *([] if edit_updates else ["--no-updates"]), dump.name)
            clock.append(time.monotonic())
            page_ids, ids = _imported(wiki, revisions)
            clock.append(time.monotonic())
            if not edit_updates:
                mwscript(wiki, "refreshLinks.php", "--quiet", "--e", str(max(page_ids)), str(min(page_ids)))
            clock.append(time.monotonic())
            mwscript(wiki, "initSiteStats.php", "--quiet", "--update")
            clock.append(time.monotonic())
            if any(revision.when > datetime.now(UTC) - RC_MAX_AGE for revision in revisions):
                mwscript(wiki, "rebuildrecentchanges.php", "--quiet")
            clock.append(time.monotonic())
            steps = [later - earlier for earlier, later in itertools.pairwise(clock)]
            last_import_timings = ImportTimings(
                import_dump=steps[0], lookup=steps[1], links=steps[2], site_stats=steps[3], recent_changes=steps[4]
            )
            return ids
    finally:
        Path(dump.name).unlink(missing_ok=True)


def _imported(wiki: str, revisions: Sequence[Revision]) -> tuple[list[int], list[int]]:
    """The imported pages' ids and each revision's rev_id (matched by page, timestamp and text), via the API."""
    pages: dict[tuple[int, str], tuple[int, list[dict[str, Any]]]] = {}
    for namespace, title in dict.fromkeys((r.namespace, r.page_title) for r in revisions):
        pages[namespace, title] = page_history(wiki, prefixed(wiki, namespace, title))
    ids = []
    for revision in revisions:
        sha1 = hashlib.sha1(revision.text.encode("utf-8")).hexdigest()  # noqa: S324 - the API's sha1
        matches = [
            r["revid"]
            for r in pages[revision.namespace, revision.page_title][1]
            if r["timestamp"] == mw_timestamp(revision.when) and r.get("sha1") == sha1
        ]
        if not matches:
            raise RuntimeError(f"{revision} was not imported into {wiki} (see importDump.php's output)")
        ids.append(int(matches[-1]))
    return [page_id for page_id, _ in pages.values()], ids


def revision_ids(wiki: str, revisions: Sequence[Revision]) -> list[int]:
    """rev_id of each of these revisions (already imported), in the order given."""
    return _imported(wiki, revisions)[1]


def page_history(wiki: str, title: str) -> tuple[int, list[dict[str, Any]]]:
    """A page's id (0 if it doesn't exist) and revisions, oldest first (ids, timestamp, user, size, sha1, comment)."""
    history: list[dict[str, Any]] = []
    params: dict[str, Any] = {
        "action": "query", "prop": "revisions", "titles": title, "rvlimit": "max", "rvdir": "newer",
        "rvprop": "ids|timestamp|user|size|sha1|comment",
    }  # fmt: skip
    while True:
        data = api_get(wiki, **params)
        page = data["query"]["pages"][0]
        history += page.get("revisions", [])
        if "continue" not in data:
            return int(page.get("pageid", 0)), history
        params.update(data["continue"])


# --- other events, through the Action API ---------------------------------------------------------------------


def as_user(wiki: str, user: str | WikiUser) -> WikiUser:
    return user if isinstance(user, WikiUser) else WikiUser.on(wiki, user)


def delete_page(wiki: str, title: str, reason: str = "", user: str | WikiUser = "Admin") -> int:
    """Delete a page (its revisions move to ``archive``); returns the deletion's log id."""
    admin = as_user(wiki, user)
    result = admin.post(action="delete", title=title, reason=reason, token=admin.csrf)["delete"]
    return int(result["logid"])


def move_page(
    wiki: str, title: str, new_title: str, reason: str = "", user: str | WikiUser = "Admin", redirect: bool = True
) -> None:
    """Move (rename) a page; without ``redirect`` no redirect is left behind (needs suppressredirect: Admin)."""
    mover = as_user(wiki, user)
    params: dict[str, Any] = {"from": title, "to": new_title, "reason": reason, "token": mover.csrf}
    if not redirect:
        params["noredirect"] = 1
    mover.post(action="move", **params)


def hide_author(
    wiki: str, rev_id: int, reason: str = "", user: str | WikiUser = "Admin", *, suppress: bool = False
) -> None:
    """Hide a revision's author (rev_deleted bit 4), as an admin does with Special:RevisionDelete; ``suppress``
    hides it from admins too, as an oversighter does (logged in the suppress log, which replicas do not show)."""
    pages = api_get(wiki, action="query", revids=rev_id)["query"].get("pages", [])
    if not pages:
        raise WikiError(f"{wiki} has no revision {rev_id}")
    admin = as_user(wiki, user)
    result = admin.post(
        action="revisiondelete", type="revision", target=pages[0]["title"], ids=rev_id, hide="user", reason=reason,
        suppress="yes" if suppress else "nochange", token=admin.csrf,
    )["revisiondelete"]  # fmt: skip
    if result.get("status") != "Success" or any(item.get("errors") for item in result.get("items", [])):
        raise WikiError(f"hiding the author of revision {rev_id} failed: {result}")


def block_user(wiki: str, username: str, *, expiry: str = "infinity", reason: str = "scenario") -> None:
    """Block an account sitewide as Admin (maintenance/blockUsers.php: the BotPasswords have no block grant),
    without autoblock, so the farm's shared address stays free to edit."""
    STATE.joinpath("tmp").mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", dir=STATE / "tmp", delete=False) as names:
        names.write(f"{username}\n")
    try:
        mwscript(wiki, "blockUsers.php", "--performer", "Admin", "--reason", reason, "--expiry", expiry,
                 "--disable-autoblock", names.name)  # fmt: skip
    finally:
        Path(names.name).unlink(missing_ok=True)


def tiny_png(seed: int) -> bytes:
    """A valid 1x1 PNG whose colour depends on ``seed`` (MediaWiki refuses an exact duplicate of a file)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    pixel = zlib.compress(bytes([0, seed % 256, (seed >> 8) % 256, (seed >> 16) % 256]))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


def upload_file(
    user: str | WikiUser, filename: str, data: bytes | None = None, comment: str = "", wiki: str = "devcommons"
) -> str:
    """Upload a file now (default: a tiny PNG unique to the name) as ``user``; returns its title without 'File:'."""
    uploader = as_user(wiki, user)
    content = data if data is not None else tiny_png(zlib.crc32(filename.encode("utf-8")))
    result = uploader.post(
        action="upload", filename=filename, comment=comment, token=uploader.csrf,
        files={"file": (filename, content, "application/octet-stream")},
    )["upload"]  # fmt: skip
    if result.get("result") != "Success":
        raise WikiError(f"upload of {filename} failed: {result}")
    return str(result["filename"]).replace("_", " ")


def use_file(
    wiki: str, user: str | WikiUser, page: str, filename: str, summary: str = "Add a file", timeout: float = 10
) -> int:
    """Add ``[[File:filename]]`` to a page (creating it if needed); returns the new revision id.

    Waits until the page's imagelinks row exists: MediaWiki writes link tables after it has answered the edit.
    """
    editor = as_user(wiki, user)
    rev_id = editor.edit(page, appendtext=f"\n[[File:{filename}|thumb]]", summary=summary)
    wanted = prefixed(wiki, 6, filename.replace("_", " "))
    deadline = time.monotonic() + timeout
    while True:
        pages = api_get(wiki, action="query", prop="images", titles=page, imlimit="max")["query"]["pages"]
        if any(image["title"] == wanted for image in pages[0].get("images", [])):
            return rev_id
        if time.monotonic() > deadline:
            raise WikiError(f"{page} on {wiki} does not link {wanted} after {timeout} s")
        time.sleep(0.05)
