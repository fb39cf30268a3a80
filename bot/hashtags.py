"""Hashtag and change-tag scope (issue 18): count only the edits whose summary carries one of a program's hashtags
(``#wikiday``) or that have one of its change tags, by its participants or, in a hashtag campaign, by anyone.

Reading summaries is the expensive part on the replicas (``comment`` is the biggest table of a wiki, and its view
tests visibility for every row), so we only ever go from revisions to their comments, never the other way:

* participants AND hashtag (the default): the participants' revisions are the program's ledger already (bot/ledger.py);
  their summaries are then looked up by revision id (``sql/stats/revision_comments.sql``: primary-key lookups of
  ``revision`` and ``comment_revision``), their tags by revision id in ``change_tag`` (``revision_tags.sql``), in
  batches. The cost grows with the participants' revisions, not with the wiki.
* anyone (a hashtag campaign): whoever used a hashtag must first be found. We read the window's revisions in time
  order through the ``rev_timestamp`` index, at most ``hashtag_scan_revisions`` (config) per wiki and update, join
  their pages (tracked namespaces), comments and actors, and keep the registered authors of those whose summary holds
  a ``#`` (``hashtag_authors.sql``); tags go from the tag to its revisions (``tag_authors.sql``, index
  ``ct_tag_id_id``). The authors found then become the program's participants, and the first path counts their marked
  edits, so both modes share one pipeline (ledger, aggregation, per-participant and per-day numbers). Like the ledger,
  the search is kept between updates (store table ``hashtag_search``): each update reads only the revisions saved
  since the last one stopped (less the replication lag when it had reached the update's time; from the last revision
  read when the limit stopped it), so after the first, an update reads an hour of the wiki's revisions, not the
  window. A big wiki has some 100,000 main-namespace revisions a day, so the default limit (200,000 revisions per
  update) covers about two days of such a wiki and a month of a middle-sized one; a longer backlog is read over the
  next updates, and the organizer is told how far the search has got meanwhile. ``recentchanges`` would be smaller but
  holds only 90 days and no imported revisions, so we use one path (``revision``) for every window.

The replicas hide the summaries of archived revisions (``archive.ar_comment_id`` is NULL in the public view), so an
edit on a page deleted since counts only through a change tag, never through a hashtag. Bots are not excluded by
group (the Hashtags tool drops them): the bot's own account never counts; logged-out edits are not counted in
"anyone" mode (an IP address is not a person to report on).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import mwparserfromhell

from bot.facts_replica import batches, from_mw_timestamp, mw_timestamp, slices, text
from bot.metrics import RevisionFact
from bot.program import EditMarks, Message
from bot.replica import Replica

HASHTAG = re.compile(r"(?<![\w&#])#(\w+)")
"""A hashtag in a summary: ``#`` and word characters (any script), not inside a word nor a character reference
(``&#123;``), as the Hashtags tool reads them. Compared case-insensitively."""
ANYONE = {"anyone", "any", "everyone", "all", "cualquiera", "todos", "todas", "cualquier persona"}
PARTICIPANTS = {"participants", "participantes"}
REV_BATCH = 500
"""Revision ids per comment or tag lookup."""


def _items(raw: str) -> list[str]:
    """Items of a list parameter, one per line or separated by commas or semicolons, markup stripped."""
    plain = mwparserfromhell.parse(raw).strip_code(normalize=False)
    return [" ".join(item.split()) for item in re.split(r"[,;\n]", plain) if item.strip()]


def parse_marks(hashtags_raw: str, tags_raw: str, mode_raw: str) -> tuple[EditMarks, tuple[Message, ...]]:
    """The ``hashtags``, ``tags`` and ``hashtag_mode`` parameters; an unusable item is a message and is ignored."""
    notes: list[Message] = []
    hashtags: dict[str, None] = {}
    for item in _items(hashtags_raw):
        for word in item.split():
            found = HASHTAG.fullmatch(word if word.startswith("#") else "#" + word)
            if found is None:
                notes.append(Message("problem-hashtag-invalid", (word,)))
            else:
                hashtags.setdefault(found.group(1).casefold(), None)
    tags = tuple(dict.fromkeys(item for item in _items(tags_raw) if "|" not in item))
    mode = " ".join(mode_raw.split()).casefold()
    anyone = mode in ANYONE
    if mode and not anyone and mode not in PARTICIPANTS:
        notes.append(Message("problem-hashtag-mode-unknown", (mode_raw,)))
    if anyone and not (hashtags or tags):
        notes.append(Message("problem-hashtag-mode-without-hashtags"))
        anyone = False
    return EditMarks(tuple(hashtags), tags, anyone), tuple(notes)


def carries(marks: EditMarks, summary: str) -> bool:
    """Whether a summary holds one of the program's hashtags."""
    return any(found.group(1).casefold() in marks.hashtags for found in HASHTAG.finditer(summary))


def marked_revisions(replica: Replica, marks: EditMarks, facts: Iterable[RevisionFact]) -> frozenset[int]:
    """The ids of ``facts`` (one wiki's) whose summary holds a hashtag of the program or that have one of its tags."""
    live = sorted({fact.rev_id for fact in facts if not fact.deleted})
    every = sorted({fact.rev_id for fact in facts})
    found: set[int] = set()
    if marks.hashtags:
        for batch in batches(live, REV_BATCH):
            for rev_id, comment in replica.query("stats/revision_comments", {"revs": batch}):
                if comment is not None and carries(marks, text(comment)):
                    found.add(int(rev_id))
    if marks.tags:
        for batch in batches(every, REV_BATCH):
            found.update(
                int(rev_id) for (rev_id,) in replica.query("stats/revision_tags", {"revs": batch, "tags": marks.tags})
            )
    return frozenset(found)


def search_fingerprint(marks: EditMarks, window: tuple[datetime, datetime], namespaces: Sequence[int]) -> str:
    """What a kept search (store table ``hashtag_search``) answers; any change starts the search over."""
    described = [marks.hashtags, marks.tags, [moment.isoformat() for moment in window], sorted(namespaces)]
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def marked_authors(
    replica: Replica, marks: EditMarks, span: tuple[datetime, datetime], namespaces: Sequence[int], limit: int
) -> tuple[frozenset[str], datetime]:
    """Registered users who made a marked edit in ``span`` (the part of the window not searched yet) on the tracked
    namespaces of this wiki (mode "anyone"); and how far the search got: the end of ``span``, or, when ``limit``
    revisions stopped it, the time of the last one read (the next update goes on from there: that second is read
    again, as the limit may have cut it)."""
    names: set[str] = set()
    reached = span[1]
    start, end = mw_timestamp(span[0]), mw_timestamp(span[1])
    if marks.hashtags:
        [(read, last)] = replica.query("stats/window_revisions", {"start": start, "end": end, "limit": limit})
        params = {"start": start, "end": end, "limit": limit, "namespaces": tuple(namespaces)}
        for name, comment in replica.query("stats/hashtag_authors", params):
            if comment is not None and carries(marks, text(comment)):
                names.add(text(name))
        if int(read) >= limit and last is not None:
            reached = from_mw_timestamp(last)
    if marks.tags:
        for piece_start, piece_end in slices((span[0], reached)):
            params = {"tags": marks.tags, "start": piece_start, "end": piece_end, "namespaces": tuple(namespaces)}
            names.update(text(name) for (name,) in replica.query("stats/tag_authors", params))
    return frozenset(names), reached


def resume_point(start: datetime, end: datetime, reached: datetime, lag: timedelta) -> datetime:
    """Where the next search of a wiki starts after one over ``[start, end)`` that got to ``reached``.

    Revisions saved in the last ``lag`` before ``end`` may not have reached the replicas yet, so they are read again
    next time. A search the limit stopped goes on from its last revision (that second again, as the limit may have
    cut it), or from the lag line if that comes first. It must also move on: when the lag line is not past
    ``start`` (more than the limit saved within the lag), from ``reached``; when the whole limit fell in one second,
    from the next second (the rest of that second is not read: a wiki would need the limit's revisions in one
    second)."""
    if reached >= end:
        return end - lag
    resume = min(reached, end - lag)
    if resume > start:
        return resume
    return reached if reached > start else start + timedelta(seconds=1)
