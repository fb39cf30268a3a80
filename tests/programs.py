"""Programs for tests that need one without a wiki page: built through the real parser from wikitext."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.config import Settings, load_settings
from bot.program import Participant, Program, SignupStatus
from bot.program_page import PageContext, parse_definition, program_params

PREFIXES = frozenset({"user", "user talk", "special:contributions/"})


def make_program(
    wikitext: str, participants: tuple[str, ...] = (), *, page_id: int = 5, title: str = "Project:P"
) -> Program:
    settings = load_settings()
    context = PageContext(wiki=settings.wiki("devwiki"), wikis=settings.wikis, user_prefixes=PREFIXES)
    definition, messages = parse_definition(program_params(wikitext, context.templates)[0], context, title)
    assert definition is not None, messages
    when = datetime(2026, 1, 1, tzinfo=UTC)
    people = tuple(Participant(name, SignupStatus.CONFIRMED, name, 1, when) for name in participants)
    return Program("devwiki", page_id, title, definition, people, messages)


def current_program(name: str, params: str = "", body: str = "") -> str:
    """A program page Alice organizes, on now (from two days ago to five days ahead): ``params`` are more template
    parameters (``|private=yes``), ``body`` what follows the template."""
    today = datetime.now(UTC).date()
    start, end = (today - timedelta(days=2)).isoformat(), (today + timedelta(days=5)).isoformat()
    return f"{{{{Program|name={name}|start={start}|end={end}|organizers=Alice{params}}}}}\n{body}\n"


def tick(settings: Settings, ticks: int = 1) -> datetime:
    """The update job's clock ``ticks`` update intervals from now: a program on now is due again at each (the queue
    keeps it until its tier's next update, bot/queue.py)."""
    return datetime.now(UTC) + ticks * timedelta(minutes=settings.update_interval_minutes)
