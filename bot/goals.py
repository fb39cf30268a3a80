"""Event goals: what organizers aim for (``goals=`` of ``{{Program}}``), read strictly, and the progress towards it.

CampaignEvents lets organizers set a goal on 7 of its numbers and shows a bar; here any number of the metric
registry can be a goal, over the whole program or per participant (``Goal``), and the progress says when it was
reached. Organizers write goals the way they would say them, in English or in their wiki's language:

    |goals=
    * 50 artículos creados
    * ediciones por participante: 20
    * words_added: 10.000

A per-participant goal G means "on average G per participant": the program reaches it when its total is at least
G times its confirmed participants (counted now). "Reached on" is the first local day on which the cumulative per-day
figure (kept with each snapshot) reached the target; metrics without per-day figures (participants, retention,
alerts) say "reached" without a day.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache

import mwparserfromhell

from bot.i18n import languages, translate
from bot.metric_registry import REGISTRY, Dimension, Figures, Metric, PerDays, published
from bot.metrics import Counts, DayFigures, ProgramMetrics
from bot.program import Goal, Message
from bot.wikitext_writer import Wikitext, escape

PER_PARTICIPANT = ("per participant", "por participante", "each participant", "cada participante")
"""Ways of saying "per participant" after a metric's name (normalized: lowercase, no accents, ``_`` as space)."""

_ITEM_SEPARATORS = re.compile(r"[;\n]|,(?!\d{3}(?!\d))")
"""Items are separated by lines or ";", and by a comma that is not a thousands separator (``10,000``)."""
MAX_GOAL = 10**12
"""A larger goal is a typing error (and, times the participants, would not fit the store's 64-bit columns)."""
_NAME_FIRST = re.compile(r"(?P<name>[^:=]*?[^\s:=])\s*[:=]\s*(?P<number>.*)")
_NUMBER_FIRST = re.compile(r"(?P<number>-?\d[\d.,\s\u00a0\u202f]*?)\s+(?P<name>\D.*)")
_WHOLE = re.compile(r"\d{1,3}(?:[.,\s\u00a0\u202f]\d{3})+|\d+")
"""A whole number, with any of the usual thousands separators (``10.000``, ``10,000``, ``10 000``). Decimals are
refused: ``1.500`` is 1500 in Spanish and 1.5 in English, so a goal is a whole number."""


def _normal(text: str) -> str:
    """Lowercase, accents off, ``_`` and runs of spaces as one space: "Artículos_creados" and "articulos creados"
    name the same metric."""
    stripped = unicodedata.normalize("NFKD", text.replace("_", " ").casefold())
    return " ".join("".join(c for c in stripped if not unicodedata.combining(c)).split())


@cache
def _names() -> dict[str, str]:
    """Normalized names -> metric name: each metric's identifier and its label in every language of i18n/."""
    found: dict[str, str] = {}
    for metric in published():
        found.setdefault(_normal(metric.name), metric.name)
        for language in languages():
            found.setdefault(_normal(translate(language, metric.label)), metric.name)
    return found


def _per_days(name: str) -> str | None:
    """``retention_7``, ``retention 30``: a per-N-days metric (bot.metric_registry.PerDays) for any N."""
    for entry in REGISTRY:
        if isinstance(entry, PerDays):
            match = re.fullmatch(re.escape(_normal(entry.name)) + r" (\d{1,4})", name)
            if match:
                return f"{entry.name}_{int(match.group(1))}"
    return None


def _metric_name(raw: str) -> tuple[str | None, bool]:
    """(metric name or None if unknown, per participant)."""
    name = _normal(raw)
    per_participant = False
    for suffix in PER_PARTICIPANT:
        if name.endswith(" " + suffix):
            name, per_participant = name.removesuffix(" " + suffix), True
            break
    return _names().get(name) or _per_days(name), per_participant


def parse_goals(raw: str) -> tuple[tuple[Goal, ...], tuple[Message, ...]]:
    """The goals of a ``goals=`` value and a message for each item that is not one; a broken item never stops the
    others (nor the rest of the program). The same metric twice (in the same mode) keeps the first."""
    text = mwparserfromhell.parse(raw).strip_code(normalize=False)
    goals: dict[tuple[str, bool], Goal] = {}
    notes: list[Message] = []
    for piece in _ITEM_SEPARATORS.split(text):
        item = " ".join(piece.strip().lstrip("*#:").split())
        if not item:
            continue
        match = _NAME_FIRST.fullmatch(item) or _NUMBER_FIRST.fullmatch(item)
        if match is None:
            notes.append(Message("problem-goal-invalid", (item,)))
            continue
        metric, per_participant = _metric_name(match.group("name"))
        number = match.group("number").strip()
        if metric is None:
            notes.append(Message("problem-goal-unknown-metric", (item, match.group("name").strip())))
        elif number.startswith("-") and _WHOLE.fullmatch(number[1:].strip()):
            notes.append(Message("problem-goal-not-positive", (item,)))
        elif not _WHOLE.fullmatch(number):
            notes.append(Message("problem-goal-not-number", (item, number)))
        elif (target := int(re.sub(r"\D", "", number))) <= 0:
            notes.append(Message("problem-goal-not-positive", (item,)))
        elif target > MAX_GOAL:
            notes.append(Message("problem-goal-too-large", (item, f"{MAX_GOAL:,}")))
        elif per_participant and metric == "participants":
            notes.append(Message("problem-goal-per-participant", (item,)))
        elif (metric, per_participant) in goals:
            notes.append(Message("problem-goal-duplicate", (item,)))
        else:
            goals[(metric, per_participant)] = Goal(metric, target, per_participant)
    return tuple(goals.values()), tuple(notes)


@dataclass(frozen=True)
class GoalProgress:
    """One goal against one snapshot's numbers (kept with it: table ``snapshot_goal``)."""

    metric: str
    goal: int
    """As the organizer wrote it (per participant for a per-participant goal)."""
    per_participant: bool
    target: int
    """What the program's total must reach: the goal, or the goal times the confirmed participants."""
    value: int | None
    """The program's total; None where the program has no such number (not tracked, or pending)."""
    reached_on: date | None
    """The first local day the cumulative per-day figure reached ``target``; None when not reached, when the metric
    has no per-day figures, or when a private program publishes no per-day figures."""

    @property
    def reached(self) -> bool:
        return self.value is not None and self.target > 0 and self.value >= self.target

    @property
    def percent(self) -> int | None:
        """Whole percent, floored (99.9 % is not "100 %"); may pass 100."""
        if self.value is None or self.target <= 0:
            return None
        return max(self.value, 0) * 100 // self.target


def _metric(name: str, retention_days: Iterable[int]) -> Metric | None:
    return next((m for m in published(retention_days) if m.name == name), None)


def progress(
    goals: Iterable[Goal], metrics: ProgramMetrics, *, days_published: bool = True
) -> tuple[GoalProgress, ...]:
    """Each goal's progress from the numbers the stats engine just computed (``days_published`` False: a private
    program with too few participants, whose per-day figures are not published, gets no "reached on" day)."""
    retention_days = [r.days for r in metrics.retention]
    figures = Figures.of_program(metrics)
    found = []
    for goal in goals:
        metric = _metric(goal.metric, retention_days)
        value = metric.value(figures) if metric is not None else None
        target = goal.target * metrics.participants if goal.per_participant else goal.target
        reached_on = None
        if metric is not None and value is not None and target > 0 and value >= target and days_published:
            reached_on = first_day_reaching(metric, target, metrics.by_day, metrics.day_figures)
        found.append(GoalProgress(goal.metric, goal.target, goal.per_participant, target, value, reached_on))
    return tuple(found)


def first_day_reaching(
    metric: Metric, target: int, by_day: Mapping[date, Counts], day_figures: Mapping[date, DayFigures]
) -> date | None:
    """The first day whose cumulative figure (days in order) is at least ``target``; None for a metric without
    per-day figures."""
    if Dimension.DAY not in metric.dimensions:
        return None
    total = 0
    for day in sorted(by_day.keys() | day_figures.keys()):
        total += metric.value(Figures.of_day(by_day.get(day, Counts()), day_figures.get(day))) or 0
        if total >= target:
            return day
    return None


def label(language: str, metric: str) -> str:
    """A metric's short name in ``language`` (a per-N-days metric with its N)."""
    for entry in REGISTRY:
        days = metric.removeprefix(entry.name + "_")
        if isinstance(entry, PerDays) and days != metric and days.isdigit():
            return translate(language, entry.label, days)
    found = next((m for m in published() if m.name == metric), None)
    return translate(language, found.label) if found is not None else metric


def progress_line(language: str, goal: GoalProgress) -> str:
    """One goal as plain text in ``language``: "Articles created: 12 of 50 (24%)", "…: reached on 2026-03-05"."""
    name = label(language, goal.metric)
    if goal.per_participant:
        name = translate(language, "goal-per-participant", name)
    if goal.value is None:
        return translate(language, "goal-line-unknown", name, goal.target)
    text = translate(language, "goal-line", name, goal.value, goal.target, goal.percent or 0)
    if goal.per_participant:
        text += " " + translate(language, "goal-line-per-participant", goal.goal)
    if goal.reached_on is not None:
        text += " " + translate(language, "goal-reached-on", goal.reached_on.isoformat())
    elif goal.reached:
        text += " " + translate(language, "goal-reached")
    return text


def _bar(percent: int | None) -> str:
    """A small progress bar (the bot's own markup: a width from a number it computed)."""
    width = min(percent or 0, 100)
    return (
        '<span style="display:inline-block; width:6em; height:0.7em; background-color:#eaecf0; vertical-align:middle;">'
        f'<span style="display:block; width:{width}%; height:100%; background-color:#36c;"></span></span>'
    )


def goals_wikitext(language: str, goals: Iterable[GoalProgress]) -> Wikitext | None:
    """The outcome's ``goals`` parameter: one list line per goal, a bar then the escaped text; None without goals."""
    lines = [f"* {_bar(goal.percent)} {escape(progress_line(language, goal))}" for goal in goals]
    return Wikitext("\n" + "\n".join(lines) + "\n") if lines else None


@dataclass(frozen=True)
class CampaignGoal:
    """A campaign's goal for one metric: the sum of its programs' targets and of those programs' values."""

    metric: str
    programs: int
    target: int
    value: int

    @property
    def percent(self) -> int | None:
        return self.value * 100 // self.target if self.target > 0 else None

    @property
    def reached(self) -> bool:
        return self.target > 0 and self.value >= self.target


def campaign_goals(programs: Iterable[Iterable[GoalProgress]]) -> tuple[CampaignGoal, ...]:
    """Sum each metric's goals over a campaign's programs (a per-participant goal counts as its target; a program
    with two goals on one metric, over the program and per participant, counts the larger target and its value
    once). A program's value counts toward its own goal, so an edit two programs share counts toward both goals
    (unlike the campaign's distinct totals). Programs whose number is unknown (None) are left out of that sum."""
    sums: dict[str, tuple[int, int, int]] = {}
    for goals in programs:
        mine: dict[str, tuple[int, int]] = {}
        for goal in goals:
            if goal.value is not None:
                target = max(goal.target, mine.get(goal.metric, (0, 0))[0])
                mine[goal.metric] = (target, goal.value)
        for metric, (target, value) in mine.items():
            count, targets, values = sums.get(metric, (0, 0, 0))
            sums[metric] = (count + 1, targets + target, values + value)
    return tuple(CampaignGoal(metric, *totals) for metric, totals in sums.items())


def campaign_line(language: str, goal: CampaignGoal) -> str:
    text = translate(language, "goal-line", label(language, goal.metric), goal.value, goal.target, goal.percent or 0)
    return text + " " + translate(language, "goal-line-programs", goal.programs)


def campaign_goals_wikitext(language: str, goals: Iterable[CampaignGoal]) -> Wikitext | None:
    lines = [f"* {_bar(goal.percent)} {escape(campaign_line(language, goal))}" for goal in goals]
    return Wikitext("\n" + "\n".join(lines) + "\n") if lines else None
