"""The invitation list: from a list of articles or a category tree, the editors most worth inviting to a program,
scored and explained, written below the organizer's ``{{Program invitations}}`` on a program's subpage
(bot/organizer_tools.py). It never messages anyone: the organizers decide whom to ask, and how.

Who is listed: registered accounts that edited those articles (main namespace, at most ``invitation_pages``, the
first by title) in the last ``invitation_days`` days (a request's ``days`` may shorten it), except bots (the ``bot``
group), accounts blocked sitewide now, temporary accounts, accounts whose name or edits are hidden, the bot itself,
and anyone the program already knows (its page's creator, organizers, facilitators, participants in any status).

What it reads (sql/stats/page_editors.sql, sql/stats/excluded_users.sql): revisions *by page* in the window
(``rev_page_timestamp``), one grouped statement per 500 pages, never an editor's whole history; then the bot
group and blocks of those editors only (``user_groups``; ``block`` + ``block_target`` as on the replicas since 2024).

**Score** (0..100), like CampaignEvents' "potential invitees" (bytes, edits, recency) but a weighted mean, so one
weak part lowers the score instead of zeroing it:

    edits   = min(edits to these articles / 10, 1)
    bytes   = min(log10(1 + bytes added) / 4, 1)      (10,000 bytes or more: 1)
    recency = 1 - days since the last of those edits / days of the window
    score   = 100 x (0.35 x edits + 0.35 x bytes + 0.30 x recency), rounded; below 5 not listed

Ties: the most recent edit, then the name. Each row says why: the edits and how many of the articles, the bytes
added, the day of the last edit. A **private** program gets no list: whom it leaves out would tell who takes part.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.edit_outcome import EditOutcome
from bot.edits import InvitationListEdit
from bot.i18n import render, translate
from bot.organizer_tools import Tool, ToolRequest, request_pages
from bot.param_values import is_valid_username
from bot.program import Message, Program
from bot.render import table_block
from bot.replica import Replica
from bot.wikitext_writer import Wikitext

if TYPE_CHECKING:
    from bot.update import WikiRun

SQL_BATCH = 500
EDITS_FULL = 10
BYTES_FULL_LOG = 4.0
MIN_SCORE = 5
WEIGHTS = (0.35, 0.35, 0.30)
"""Edits, bytes, recency."""


@dataclass(frozen=True)
class Editor:
    """One editor's work on the articles in the window, as the replicas have it."""

    name: str
    user_id: int
    edits: int
    pages: int
    bytes_added: int
    last_edit: datetime


@dataclass(frozen=True)
class Invitee:
    editor: Editor
    score: int
    reasons: tuple[Message, ...]


def score(editor: Editor, now: datetime, window_days: int) -> Invitee:
    """The documented score (module docstring) and why."""
    edits = min(editor.edits / EDITS_FULL, 1)
    added = min(math.log10(1 + max(editor.bytes_added, 0)) / BYTES_FULL_LOG, 1)
    age_days = max((now - editor.last_edit).total_seconds() / 86400, 0)
    recency = max(1 - age_days / window_days, 0)
    value = 100 * (WEIGHTS[0] * edits + WEIGHTS[1] * added + WEIGHTS[2] * recency)
    reasons = (
        Message("invite-reason-edits", (str(editor.edits), str(editor.pages))),
        Message("invite-reason-bytes", (str(editor.bytes_added),)),
        Message("invite-reason-recent", (editor.last_edit.strftime("%Y-%m-%d"),)),
    )
    return Invitee(editor, round(value), reasons)


def rank(editors: Sequence[Editor], now: datetime, window_days: int, limit: int) -> list[Invitee]:
    """The ``limit`` best scores of at least MIN_SCORE: highest score, then latest edit, then name."""
    scored = [invitee for invitee in (score(e, now, window_days) for e in editors) if invitee.score >= MIN_SCORE]
    scored.sort(key=lambda i: (-i.score, -i.editor.last_edit.timestamp(), i.editor.name))
    return scored[:limit]


def _text(value: bytes | str) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def _timestamp(value: bytes | str) -> datetime:
    return datetime.strptime(_text(value), "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def editors(
    replica: Replica, titles: Sequence[str], since: datetime, until: datetime, left_out: Collection[str], now: datetime
) -> list[Editor]:
    """The registered editors of these main-namespace titles (underscores) in [since, until), without bots,
    blocked or temporary accounts and the names in ``left_out``."""
    page_ids: list[int] = []
    for start in range(0, len(titles), SQL_BATCH):
        pairs = tuple((0, title) for title in titles[start : start + SQL_BATCH])
        page_ids.extend(int(row[0]) for row in replica.query("stats/finder_pages", {"pages": pairs}))
    found: dict[int, Editor] = {}
    window = {"since": since.strftime("%Y%m%d%H%M%S"), "until": until.strftime("%Y%m%d%H%M%S")}
    for start in range(0, len(page_ids), SQL_BATCH):
        rows: Sequence[tuple[Any, ...]] = replica.query(
            "stats/page_editors", {"page_ids": tuple(page_ids[start : start + SQL_BATCH]), **window}
        )
        for _actor, name, user_id, temporary, edits, pages, added, last in rows:
            text = _text(name)
            if int(temporary or 0) or text in left_out or not is_valid_username(text):
                continue
            before = found.get(int(user_id))
            editor = Editor(text, int(user_id), int(edits), int(pages), int(added or 0), _timestamp(last))
            if before is not None:  # batches hold different pages: their sums add up
                editor = Editor(
                    text,
                    editor.user_id,
                    before.edits + editor.edits,
                    before.pages + editor.pages,
                    before.bytes_added + editor.bytes_added,
                    max(before.last_edit, editor.last_edit),
                )
            found[editor.user_id] = editor
    ids = sorted(found)
    excluded: set[int] = set()
    for start in range(0, len(ids), SQL_BATCH):
        params = {"user_ids": tuple(ids[start : start + SQL_BATCH]), "now": now.strftime("%Y%m%d%H%M%S")}
        excluded.update(int(user_id) for user_id, _reason in replica.query("stats/excluded_users", params))
    return [editor for user_id, editor in sorted(found.items()) if user_id not in excluded]


def on_the_page(program: Program, creator: str | None, bot_username: str) -> frozenset[str]:
    """Everyone the program already knows (its page's creator, organizers, facilitators, anyone signed up in any
    status) and the bot: never invited."""
    definition = program.definition
    names = {p.username for p in program.participants} | set(definition.organizers) | set(definition.facilitators)
    return frozenset(names | {bot_username} | ({creator} if creator else set()))


def table(run: WikiRun, invitees: Sequence[Invitee], looked_at: int, days: int, notes: Sequence[Message]) -> str:
    """The bot's block: header, one row per editor (name, figures, why), footer (what was read, notes)."""
    language, base = run.wiki.language, run.wiki.templates.invitations
    rows = [
        {
            "rank": number,
            "user": invitee.editor.name,
            "score": invitee.score,
            "edits": invitee.editor.edits,
            "articles": invitee.editor.pages,
            "bytes_added": invitee.editor.bytes_added,
            "last_edit": invitee.editor.last_edit.strftime("%Y-%m-%d"),
            "reasons": "; ".join(render(language, reason) for reason in invitee.reasons),
        }
        for number, invitee in enumerate(invitees, start=1)
    ]
    # The day, not the second: two workers answering the same request in the same tick write the same text, so the
    # second save is a no-change (bot/publisher.py) rather than a second edit.
    updated = run.now.date().isoformat()
    footer: dict[str, object] = {"looked_at": looked_at, "days": days, "shown": len(invitees), "updated": updated}
    note = " ".join(translate(language, n.key, *n.params) for n in notes)
    if note:
        footer["note"] = note
    return table_block(base, {}, rows, footer)


def answer(
    run: WikiRun, program: Program, request: ToolRequest | None, notes: tuple[Message, ...], title: str
) -> EditOutcome:
    """Find, score, write: the invitation list's answer to one trusted request."""
    found: list[Message] = list(notes)
    invitees: list[Invitee] = []
    looked_at = 0
    days = min(request.days or run.settings.invitation_days, run.settings.invitation_days) if request else 0
    if request is None:
        pass
    elif program.definition.private:
        found.append(Message("tool-note-private"))
    elif run.wiki.name not in run.replicas or run.wiki.stats_backend != "replica":
        found.append(Message("tool-note-no-replica"))
    else:
        from bot import wiki as wiki_access

        replica = run.replicas[run.wiki.name]
        titles = request_pages(request, replica, wiki_access.title_prefixes(wiki_access.site(run.wiki)))
        if len(titles) > run.settings.invitation_pages:
            found.append(Message("tool-note-capped", (str(run.settings.invitation_pages), str(len(titles)))))
            titles = titles[: run.settings.invitation_pages]
        looked_at = len(titles)
        since = run.now - timedelta(days=days)
        known = on_the_page(program, run.store.trust_state(program.key).creator, run.settings.bot_username)
        candidates = editors(replica, titles, since, run.now, known, run.now)
        invitees = rank(candidates, run.now, days, request.limit)
    block = Wikitext(table(run, invitees, looked_at, days, found))
    edit = InvitationListEdit(run.wiki, title, program.key, program.title, anchor=run.wiki.templates.invitations,
                              base=run.wiki.templates.invitations, block=block, rows=len(invitees))  # fmt: skip
    return run.publish(edit, allowed=program.definition.bot_edits)


INVITATIONS = Tool("invitations", lambda run: run.settings.invitation_rows, answer)
