"""Charts drawn on the server as SVG: edits, articles edited, bytes and words added per day, stacked by wiki.

No script runs on the site (its policy forbids any), so a chart is markup: one ``<svg role="img">`` per chart with
a ``<title>`` and ``<desc>``, one bar group (``class="point"``) per day of the range, each wiki's share a segment
with its own ``<title>`` (a tooltip), and the same numbers as a table for screen readers and for copying. The
geometry is computed here; ``templates/_chart.html`` writes it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.store import DayWikiCounts

WIDTH, HEIGHT = 720.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 8.0, 12.0, 28.0
"""Margins inside the view box: the value axis' labels on the left, the first and last day below."""
SERIES_CLASSES = 8
"""Distinct segment colours (site.css ``series-0`` ... ``series-7``); more wikis reuse them."""


@dataclass(frozen=True)
class Segment:
    wiki: str
    value: int
    y: float
    height: float
    series: int


@dataclass(frozen=True)
class Bar:
    day: str
    total: int
    x: float
    width: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    """One metric over the days of the range."""

    metric: str
    """edits, articles, bytes or words: the chart's id (``chart-<metric>``) and its messages."""
    days: tuple[str, ...]
    wikis: tuple[str, ...]
    values: dict[tuple[str, str], int]
    """(day, wiki) -> value; a missing pair is 0."""
    bars: tuple[Bar, ...]
    top: int
    """The value at the top of the axis."""
    width: float = WIDTH
    height: float = HEIGHT
    left: float = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def total(self) -> int:
        return sum(self.values.values())

    def value(self, day: str, wiki: str) -> int:
        return self.values.get((day, wiki), 0)

    def day_total(self, day: str) -> int:
        return sum(self.value(day, wiki) for wiki in self.wikis)


def _every_day(days: Sequence[str]) -> tuple[str, ...]:
    """Every date from the first to the last one given, so that a quiet day is a bar of zero, not a gap."""
    if not days:
        return ()
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    return tuple((first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1))


def _nice(value: int) -> int:
    """A round number at or above ``value`` for the top of the axis (1, 2, 5 x 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def build(metric: str, values: dict[tuple[str, str], int], days: tuple[str, ...], wikis: tuple[str, ...]) -> Chart:
    top = _nice(max((sum(values.get((d, w), 0) for w in wikis) for d in days), default=0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(days), 1)
    bars = []
    for index, day in enumerate(days):
        y = HEIGHT - BOTTOM
        segments = []
        for series, wiki in enumerate(wikis):
            value = values.get((day, wiki), 0)
            height = plot_height * value / top
            y -= height
            segments.append(Segment(wiki, value, round(y, 2), round(height, 2), series % SERIES_CLASSES))
        total = sum(segment.value for segment in segments)
        bars.append(Bar(day, total, round(LEFT + index * step + step * 0.1, 2), round(step * 0.8, 2),
                        tuple(segments)))  # fmt: skip
    return Chart(metric, days, wikis, values, tuple(bars), top)


METRICS = ("edits", "articles", "bytes", "words")


def charts(rows: Sequence[DayWikiCounts]) -> list[Chart]:
    """The charts of these per-day, per-wiki counts: edits, articles edited, bytes added, and words added when any
    wiki's words are known (content wikis)."""
    days = _every_day([row.day for row in rows])
    wikis = tuple(sorted({row.wiki for row in rows}))
    found = []
    for metric in METRICS:
        if metric == "words" and all(row.words_added is None for row in rows):
            continue
        values: dict[tuple[str, str], int] = {}
        for row in rows:
            value = {"edits": row.edits, "articles": row.articles_edited, "bytes": row.bytes_added,
                     "words": row.words_added}[metric]  # fmt: skip
            if value:
                values[(row.day, row.wiki)] = values.get((row.day, row.wiki), 0) + int(value)
        found.append(build(metric, values, days, wikis))
    return found
