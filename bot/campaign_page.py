"""Reading campaign pages: ``{{Program campaign}}`` names a campaign that programs join by naming it.

A campaign page is guarded like a program page: its parameters change only by the page's creator, its organizers
and admins (``fold_campaign``); anyone else's change is held and reported. A closed campaign (``closed=yes``)
counts only the programs its organizers list in ``programs``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from bot.param_values import normalize_title, parse_date, title_lines
from bot.program import Campaign, Message, ProgramType
from bot.program_page import TYPE_NAMES, FieldReader, PageContext, template_params
from bot.trust import PageRevision, TrustState, fold_history, fold_params, is_trusted


def parse_campaign_page(text: str, *, page_id: int, title: str, context: PageContext) -> Campaign | None:
    """The campaign the page's current text describes (no history: for tests and previews), or None."""
    params, count = template_params(text, context.templates.campaign)
    if not count:
        return None
    return campaign_from_params(params, page_id=page_id, title=title, context=context)


def campaign_from_params(params: Mapping[str, str], *, page_id: int, title: str, context: PageContext) -> Campaign:
    read = FieldReader(params, context)
    dates = {}
    for name in ("start", "end"):
        raw = read.plain(name)
        if raw:
            try:
                dates[name] = parse_date(raw)
            except ValueError as error:
                read.notes.append(Message(str(error), (name, raw)))
    type_raw = read.plain("default_type").lower()
    if type_raw and type_raw not in TYPE_NAMES:
        read.notes.append(Message("problem-type-unknown", (type_raw,)))
    return Campaign(
        wiki=context.wiki.name,
        page_id=page_id,
        title=title,
        name=normalize_title(read.plain("name") or title.split(":", 1)[-1])[:255],
        description=read.plain("description"),
        start=dates.get("start"),
        end=dates.get("end"),
        organizers=read.users("organizers"),
        default_type=TYPE_NAMES.get(type_raw, ProgramType.BASIC),
        messages=tuple(read.notes),
        closed=read.boolean("closed", False),
        accepted=title_lines(params.get("programs", "")),
    )


def fold_campaign(
    state: TrustState, revisions: Iterable[PageRevision], *, context: PageContext, admins: frozenset[str]
) -> TrustState:
    """The campaign page's trusted parameters after these revisions (oldest first), judged per parameter by the
    author, as for programs: the creator, the trusted organizers and admins change them; others' changes are held."""

    def apply(current: TrustState, revision: PageRevision) -> None:
        assert revision.text is not None
        params, _count = template_params(revision.text, context.templates.campaign)
        author = revision.user if is_trusted(current, revision.user, context, admins) else None
        fold_params(current, params, author, revision.user or "", revision.revid)

    return fold_history(state, revisions, apply)


def trusted_campaign(state: TrustState, *, page_id: int, title: str, context: PageContext) -> Campaign | None:
    """The campaign as its trusted history defines it, with the held changes as messages; None when the page holds
    no campaign template the bot may trust."""
    if not state.trusted and not state.page:
        return None
    campaign = campaign_from_params(state.trusted, page_id=page_id, title=title, context=context)
    held = tuple(
        Message("problem-untrusted-change", (name, change.author, str(change.revid)))
        for name, change in sorted(state.held.items())
    )
    return replace(campaign, messages=campaign.messages + held)
