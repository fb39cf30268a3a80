"""Who may change what: folding a program page's history into its trusted definition and its sign-ups.

A wiki page can be edited by anyone; the program must not be. Walking the revisions in order, each change is
judged by its author:

* a ``{{Program}}`` parameter changes the trusted definition only when the revision's author is an organizer,
  facilitator or admin *according to the trusted definition before that revision* (the page creator is always an
  organizer). An untrusted change is held and reported until the page and the trusted value agree again. The check
  is per parameter, so an organizer's unrelated edit never approves someone else's change by accident;
* a sign-up line counts when the participant added it, or an organizer did; a line added by someone else is held
  as unconfirmed until the participant edits the page while it is there. Participants may withdraw and organizers
  may remove; other removals are ignored and reported. Self sign-ups while sign-up is closed or after its close
  date are refused.

The fold is incremental: its :class:`TrustState` is stored, and the next run reads only newer revisions, so long
histories cost their length once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.program import Message, Participant, ProgramDefinition, SignupStatus
from bot.program_page import PageContext, parse_definition, program_params, signups, trusted_users


@dataclass(frozen=True)
class PageRevision:
    revid: int
    user: str | None
    """None when the author is hidden: such a revision is never trusted."""
    timestamp: datetime
    text: str | None
    """None when the content is hidden: the page is taken as unchanged."""


@dataclass(frozen=True)
class HeldChange:
    author: str
    revid: int


@dataclass
class TrustState:
    last_revid: int = 0
    creator: str | None = None
    trusted: dict[str, str] = field(default_factory=dict)
    """The trusted ``{{Program}}`` parameters (raw wikitext)."""
    valid: dict[str, str] | None = None
    """The last trusted parameters that made a valid definition: a broken edit does not lose the program."""
    page: dict[str, str] = field(default_factory=dict)
    page_signups: tuple[str, ...] = ()
    held: dict[str, HeldChange] = field(default_factory=dict)
    participants: dict[str, Participant] = field(default_factory=dict)
    removed_by_other: dict[str, HeldChange] = field(default_factory=dict)
    unreadable: dict[int, str] = field(default_factory=dict)
    """Revisions the fold could not read (revision id -> error name): reported, skipped, never retried forever."""

    def to_json(self) -> str:
        return json.dumps(
            {
                "last_revid": self.last_revid,
                "creator": self.creator,
                "trusted": self.trusted,
                "valid": self.valid,
                "page": self.page,
                "page_signups": list(self.page_signups),
                "held": {k: [v.author, v.revid] for k, v in self.held.items()},
                "participants": [
                    [p.username, p.status.value, p.added_by, p.revision, p.timestamp.isoformat()]
                    for p in self.participants.values()
                ],
                "removed_by_other": {k: [v.author, v.revid] for k, v in self.removed_by_other.items()},
                "unreadable": {str(k): v for k, v in self.unreadable.items()},
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, raw: str) -> TrustState:
        data = json.loads(raw)
        return cls(
            last_revid=data["last_revid"],
            creator=data["creator"],
            trusted=data["trusted"],
            valid=data["valid"],
            page=data["page"],
            page_signups=tuple(data["page_signups"]),
            held={k: HeldChange(*v) for k, v in data["held"].items()},
            participants={
                p[0]: Participant(p[0], SignupStatus(p[1]), p[2], p[3], datetime.fromisoformat(p[4]))
                for p in data["participants"]
            },
            removed_by_other={k: HeldChange(*v) for k, v in data["removed_by_other"].items()},
            unreadable={int(k): str(v) for k, v in data.get("unreadable", {}).items()},
        )


def _definition(params: dict[str, str], context: PageContext, title: str) -> ProgramDefinition | None:
    return parse_definition(params, context, title)[0] if params else None


def fold(
    state: TrustState,
    revisions: Iterable[PageRevision],
    *,
    context: PageContext,
    title: str,
    admins: frozenset[str],
) -> TrustState:
    """The state after the given revisions (oldest first; those at or before ``state.last_revid`` are skipped)."""
    return fold_history(
        state,
        revisions,
        lambda current, revision: _fold_revision(current, revision, context=context, title=title, admins=admins),
    )


def fold_history(
    state: TrustState, revisions: Iterable[PageRevision], apply: Callable[[TrustState, PageRevision], None]
) -> TrustState:
    """Walk new revisions (oldest first) onto a copy of ``state``: the first author is the creator, a revision whose
    text is hidden changes nothing, and one that ``apply`` cannot read is reported, never lost with the rest.
    Program and campaign pages share it; ``apply`` says what a revision means for each."""
    state = replace(
        state,
        trusted=dict(state.trusted),
        page=dict(state.page),
        held=dict(state.held),
        participants=dict(state.participants),
        removed_by_other=dict(state.removed_by_other),
        unreadable=dict(state.unreadable),
    )
    for revision in revisions:
        if revision.revid <= state.last_revid:
            continue
        if state.creator is None:
            state.creator = revision.user
        state.last_revid = revision.revid
        if revision.text is None:
            continue
        try:
            apply(state, revision)
        except Exception as error:  # one unreadable revision must not lose the state of all the others
            state.unreadable[revision.revid] = type(error).__name__
    drop_settled_holds(state)
    return state


def is_trusted(state: TrustState, author: str | None, context: PageContext, admins: frozenset[str]) -> bool:
    """The page's creator, the organizers and facilitators of its trusted parameters, and admins."""
    if author is None:
        return False
    return author == state.creator or author in admins or author in trusted_users(state.trusted, context)


def drop_settled_holds(state: TrustState) -> None:
    """A held change that the page no longer shows (reverted, or made trusted) is nothing to report."""
    for name in list(state.held):
        if state.page.get(name) == state.trusted.get(name):
            del state.held[name]


def fold_params(state: TrustState, params: dict[str, str], trusted_author: str | None, author: str, revid: int) -> None:
    """One revision's template parameters, judged one by one: a trusted author's change is applied, anyone else's
    is held (``trusted_author`` None). Shared by program and campaign pages."""
    for name in set(params) | set(state.page):
        if params.get(name) == state.page.get(name):
            continue
        if trusted_author is not None:
            if name in params:
                state.trusted[name] = params[name]
            else:
                state.trusted.pop(name, None)
            state.held.pop(name, None)
        else:
            state.held[name] = HeldChange(author, revid)
    state.page = params


def _fold_revision(
    state: TrustState, revision: PageRevision, *, context: PageContext, title: str, admins: frozenset[str]
) -> None:
    """Apply one revision to ``state`` in place (see the module's rules)."""
    assert revision.text is not None
    author = revision.user
    trusted = is_trusted(state, author, context, admins)
    definition = _definition(state.valid or {}, context, title)

    params, _count = program_params(revision.text, context.templates)
    fold_params(state, params, author if trusted else None, author or "", revision.revid)
    if parse_definition(state.trusted, context, title)[0] is not None:
        state.valid = dict(state.trusted)

    names = signups(revision.text, context)
    before = set(state.page_signups)
    for name in names:
        if name in before:
            held = state.participants.get(name)
            if held is not None and held.status is SignupStatus.UNCONFIRMED and author == name:
                # The participant edited the page while their line was on it: they stand by it.
                state.participants[name] = Participant(name, SignupStatus.CONFIRMED, name, revision.revid,
                                                       revision.timestamp)  # fmt: skip
            continue
        state.removed_by_other.pop(name, None)
        current = state.participants.get(name)
        if current is not None and current.status is SignupStatus.CONFIRMED:
            continue
        if author == name or trusted:
            status = SignupStatus.CONFIRMED
            if not trusted and definition is not None and _closed(definition, revision.timestamp):
                status = SignupStatus.LATE
        else:
            status = SignupStatus.UNCONFIRMED
        state.participants[name] = Participant(name, status, author or "", revision.revid, revision.timestamp)
    for name in before - set(names):
        current = state.participants.get(name)
        if current is None:
            continue
        if author == name or trusted:
            state.participants[name] = replace(current, status=SignupStatus.WITHDRAWN)
            state.removed_by_other.pop(name, None)
        elif current.status is SignupStatus.CONFIRMED:
            state.removed_by_other[name] = HeldChange(author or "", revision.revid)
        else:
            del state.participants[name]
    state.page_signups = names


def _closed(definition: ProgramDefinition, when: datetime) -> bool:
    closes = definition.signup_closes_at()
    return not definition.signup_open or (closes is not None and when >= closes)


def messages(state: TrustState) -> tuple[Message, ...]:
    """What the organizer should know about untrusted changes and sign-ups, in a stable order."""
    found: list[Message] = []
    for name, held in sorted(state.held.items()):
        found.append(Message("problem-untrusted-change", (name, held.author, str(held.revid))))
    for participant in sorted(state.participants.values(), key=lambda p: p.username):
        if participant.status is SignupStatus.UNCONFIRMED:
            found.append(Message("problem-signup-unconfirmed", (participant.username, participant.added_by)))
        elif participant.status is SignupStatus.LATE:
            found.append(
                Message("problem-signup-late", (participant.username, participant.timestamp.strftime("%Y-%m-%d")))
            )
        elif participant.status is SignupStatus.UNKNOWN_USER:
            found.append(Message("problem-unknown-user", (participant.username,)))
    for name, held in sorted(state.removed_by_other.items()):
        found.append(Message("problem-signup-removed-by-other", (name, held.author, str(held.revid))))
    for revid, error in sorted(state.unreadable.items()):
        found.append(Message("problem-revision-unreadable", (str(revid), error)))
    return tuple(found)
