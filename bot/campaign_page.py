"""Reading campaign pages: ``{{Program campaign}}`` names a campaign that programs join by naming it."""

from __future__ import annotations

from bot.param_values import normalize_title, parse_date
from bot.program import Campaign, Message, ProgramType
from bot.program_page import TYPE_NAMES, FieldReader, PageContext, template_params


def parse_campaign_page(text: str, *, page_id: int, title: str, context: PageContext) -> Campaign | None:
    """The campaign on the page, or None when the page has no campaign template."""
    params, count = template_params(text, context.templates.campaign)
    if not count:
        return None
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
        name=normalize_title(read.plain("name") or title.split(":", 1)[-1]),
        description=read.plain("description"),
        start=dates.get("start"),
        end=dates.get("end"),
        organizers=read.users("organizers"),
        default_type=TYPE_NAMES.get(type_raw, ProgramType.BASIC),
        messages=tuple(read.notes),
    )
