"""Every number the bot publishes, declared once: what it reads, where it exists, and its name in each place.

Adding one metric (words added) used to touch about 19 files, because the outcome box, every download, the site's
tables and glossary, and the template and message tests each kept their own list of numbers (issue 15). Here each
metric is one entry of :data:`REGISTRY`, and those places iterate it:

* the ``{{Program outcome}}`` box (``outcome_params`` in bot/render.py) writes each metric's ``outcome`` parameter;
* the downloads (bot/exports.py) take their columns from the metrics of their table's :class:`Dimension`;
* the site (webservice/app.py) builds its outcome, per-wiki and participants tables and its glossary from it;
* the tests check that the outcome template's TemplateData, the message files and docs/metrics.md cover every entry.

What each number means is written in docs/metrics.md and, shorter, in the ``glossary-<id>`` messages. The order of
:data:`REGISTRY` is the order of the downloads' columns (which readers may rely on), of the outcome's parameters and
of the site's tables.

A metric does not compute anything itself: the stats engine (bot/aggregate.py, bot/stats.py) computes
:class:`~bot.metrics.ProgramMetrics`, the store keeps it, and a metric's accessor reads its number out of one row of
that (a :class:`Figures`), whichever of the two it came from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from bot.alerts import alerted_articles
from bot.metrics import Counts, DayFigures, ProgramMetrics, Retention, WikidataCounts


@dataclass(frozen=True)
class Figures:
    """The numbers of one row of one dimension: a program's total, or one wiki's, participant's, day's or article's
    share, or a campaign's total. What a row does not have is None (or empty): a day has no participant count, a
    program without a content wiki has no words, an older snapshot has no per-day figures."""

    counts: Counts = field(default_factory=Counts)
    participants: int | None = None
    new_editors: int | None = None
    words_added: int | None = None
    references_added: int | None = None
    references_removed: int | None = None
    page_views: int | None = None
    wikidata: WikidataCounts | None = None
    retention: tuple[Retention, ...] = ()
    alerts: tuple[tuple[object, ...], ...] = ()
    """(wiki, namespace, title, category or discussion page, kind) of each deletion alert."""

    @classmethod
    def of_program(cls, metrics: ProgramMetrics) -> Figures:
        """A program's totals as the stats engine just computed them (the outcome box is written from these)."""
        return cls(
            counts=metrics.total,
            participants=metrics.participants,
            new_editors=len(metrics.new_editors),
            words_added=metrics.words_added,
            references_added=metrics.references_added,
            references_removed=metrics.references_removed,
            page_views=metrics.page_views,
            wikidata=metrics.wikidata,
            retention=metrics.retention,
            alerts=metrics.alerts,
        )

    @classmethod
    def of_day(cls, counts: Counts, figures: DayFigures | None) -> Figures:
        """One day: its counts and, when the snapshot kept them, its other figures (``DayFigures``)."""
        if figures is None:
            return cls(counts=counts)
        return cls(
            counts=counts,
            words_added=figures.words_added,
            references_added=figures.references_added,
            references_removed=figures.references_removed,
            page_views=figures.page_views,
            wikidata=figures.wikidata,
        )


Accessor = Callable[[Figures], int | None]
"""Reads one number out of a row; None where the row has no such number (not computed, not kept, or pending)."""


class Dimension(StrEnum):
    """The rows a number exists for. Every dimension but the total and the campaign is a breakdown of one program,
    which a private program publishes only with enough people behind it (``breakdowns_published`` in
    bot/exports.py): that rule is the dimension's, the same for every metric, so a metric declares no privacy of its
    own (a private program's totals are all published, as the team's metric notes require)."""

    TOTAL = "total"
    WIKI = "wiki"
    PARTICIPANT = "participant"
    DAY = "day"
    """The program's local days (page views: UTC days of the same date)."""
    ARTICLE = "article"
    CAMPAIGN = "campaign"
    """A campaign's programs together, each participant, revision and file once (bot/campaign_report.py)."""


class Need(StrEnum):
    """What a program must track for a metric to be computed at all (the site's glossary says so beside the
    definition). Without it a figure is absent (None: left out of the outcome, an empty cell in the downloads) rather
    than a zero that would read as "nothing happened"; only the counts, which every row has, stay 0 (no uploads on
    a program that tracks no file wiki)."""

    ANY = "any"
    CONTENT = "content"
    """A wiki of kind ``content`` (words and references are read from article texts)."""
    FILES = "files"
    """A wiki of kind ``files``, such as Commons (uploads)."""
    WIKIDATA = "wikidata"
    """A wiki of kind ``wikidata`` (entity JSON diffs)."""
    PAGEVIEWS = "pageviews"
    """A wiki with a ``pageviews_project`` (the Pageviews API's name for it)."""
    DELETION = "deletion"
    """A wiki with ``deletion_categories`` or ``deletion_discussion_prefixes`` configured."""


COUNTS_EVERYWHERE = frozenset(Dimension)
"""The :class:`~bot.metrics.Counts` numbers: kept for the total and every breakdown, summed over a campaign."""


def _always(_figures: Figures) -> bool:
    return True


def _with_uploads(figures: Figures) -> bool:
    """The outcome box shows its file rows only for a program with uploads (most programs have none)."""
    return figures.counts.uploads > 0


@dataclass(frozen=True)
class Column:
    """One column of the downloads."""

    name: str
    value: Accessor


@dataclass(frozen=True)
class Metric:
    """One published number and every name it has.

    ``columns`` None means one column named like the metric holding its value; a metric that is a sum of parts
    (a Wikidata category's added, changed and removed) lists the parts, which the downloads keep apart."""

    name: str
    """Stable identifier: the download column (unless ``columns`` says otherwise) and the docs' name for it."""
    value: Accessor
    """The number, as the site shows it and the download has it (a sum for a metric of parts)."""
    dimensions: frozenset[Dimension]
    needs: Need
    label: str
    """Message key of its short name (the site's tables)."""
    glossary: str
    """Id of its glossary entry: messages ``glossary-<id>`` and ``glossary-<id>-term``, anchor ``/glossary#<id>``;
    numbers defined together (bytes added, removed and net) share one."""
    outcome: str | None
    """The ``{{Program outcome}}`` parameter; None: not in the outcome box."""
    columns: tuple[Column, ...] | None = None
    outcome_when: Callable[[Figures], bool] = _always
    """Whether the outcome box shows it at all for this row (the file numbers: only with uploads)."""
    pending: bool = False
    """None means "not known yet" (retention before end + N days): written ``pending`` in the outcome."""
    headline: bool = False
    """One of the few numbers compact tables show: the site's per-wiki and participants tables, and the per-wiki
    columns of the programs download."""
    lists_articles: bool = False
    """The number counts articles the site also lists by name (alerts), where per-article figures may be shown."""
    label_params: tuple[object, ...] = ()

    @property
    def csv_columns(self) -> tuple[Column, ...]:
        return self.columns if self.columns is not None else (Column(self.name, self.value),)

    @property
    def outcome_names(self) -> tuple[str, ...]:
        """Its outcome parameter as the glossary and docs/metrics.md name it; () if none."""
        return (self.outcome,) if self.outcome else ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.csv_columns)

    def outcome_value(self, figures: Figures) -> int | str | None:
        """What the outcome box writes for ``figures``; None: the parameter is left out."""
        if self.outcome is None or not self.outcome_when(figures):
            return None
        value = self.value(figures)
        return PENDING if value is None and self.pending else value


PENDING = "pending"
"""The outcome's value for a number whose moment has not come; the template shows it in the wiki's language."""


@dataclass(frozen=True)
class PerDays:
    """A metric measured N days after the window's end, once per configured N (``retention_days``: 7 and 30 by
    default), so its outcome parameters and columns are patterns: ``retention_{days}``, ``retained_{days}_days``.
    It is declared once here and becomes one :class:`Metric` per N (:meth:`expand`)."""

    name: str
    read: Callable[[Retention], int | None]
    label: str
    """Message key with ``$1`` for N."""
    glossary: str
    outcome: str | None
    column: str
    needs: Need = Need.ANY
    dimensions: frozenset[Dimension] = frozenset({Dimension.TOTAL})

    @property
    def outcome_names(self) -> tuple[str, ...]:
        """The parameter pattern with N for the days (``retention_N``), as the glossary and docs/metrics.md name it."""
        return (self.outcome.format(days="N"),) if self.outcome else ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return (self.column.format(days="N"),)

    def expand(self, days: int) -> Metric:
        def value(figures: Figures) -> int | None:
            row = next((r for r in figures.retention if r.days == days), None)
            return None if row is None else self.read(row)

        return Metric(
            name=f"{self.name}_{days}",
            value=value,
            dimensions=self.dimensions,
            needs=self.needs,
            label=self.label,
            label_params=(days,),
            glossary=self.glossary,
            outcome=self.outcome.format(days=days) if self.outcome else None,
            columns=(Column(self.column.format(days=days), value),),
            pending=True,
        )


Declared = Metric | PerDays


def _wikidata(name: str, parts: tuple[str, ...]) -> Metric:
    """A Wikidata category: the outcome publishes the sum of its parts (added + changed + removed), the downloads
    each part (``WikidataCounts`` fields, prefixed ``wikidata_``)."""

    def part(field_name: str) -> Accessor:
        def value(figures: Figures) -> int | None:
            return None if figures.wikidata is None else int(getattr(figures.wikidata, field_name))

        return value

    readers = tuple(part(p) for p in parts)

    def total(figures: Figures) -> int | None:
        return None if figures.wikidata is None else sum(int(read(figures) or 0) for read in readers)

    return Metric(
        name=f"wikidata_{name}",
        value=total,
        dimensions=frozenset({Dimension.TOTAL, Dimension.DAY}),
        needs=Need.WIKIDATA,
        label=f"metric-wikidata_{name}",
        glossary="wikidata",
        outcome=f"wikidata_{name}",
        columns=tuple(Column(f"wikidata_{p}", read) for p, read in zip(parts, readers, strict=True)),
    )


def _changes(category: str, *kinds: str) -> tuple[str, ...]:
    return tuple(f"{category}_{kind}" for kind in kinds)


FIGURES_BY_DAY = frozenset({Dimension.TOTAL, Dimension.DAY})
"""Words, references and Wikidata counts: program totals and per local day (table snapshot_day)."""

REGISTRY: tuple[Declared, ...] = (
    Metric(
        name="participants", value=lambda f: f.participants,
        dimensions=frozenset({Dimension.TOTAL, Dimension.CAMPAIGN}), needs=Need.ANY,
        label="metric-participants", glossary="participants", outcome="participants",
    ),
    Metric(
        name="new_editors", value=lambda f: f.new_editors, dimensions=frozenset({Dimension.TOTAL}), needs=Need.ANY,
        label="metric-new_editors", glossary="new_editors", outcome="new_editors",
    ),
    Metric(
        name="edits", value=lambda f: f.counts.edits, dimensions=COUNTS_EVERYWHERE, needs=Need.ANY,
        label="metric-edits", glossary="edits", outcome="edits", headline=True,
    ),
    Metric(
        name="edits_deleted", value=lambda f: f.counts.edits_deleted, dimensions=COUNTS_EVERYWHERE, needs=Need.ANY,
        label="metric-edits_deleted", glossary="edits_deleted", outcome="edits_deleted",
    ),
    Metric(
        name="articles_edited", value=lambda f: f.counts.articles_edited, dimensions=COUNTS_EVERYWHERE,
        needs=Need.ANY, label="metric-articles_edited", glossary="articles_edited", outcome="articles_edited",
        headline=True,
    ),
    Metric(
        name="articles_created", value=lambda f: f.counts.articles_created, dimensions=COUNTS_EVERYWHERE,
        needs=Need.ANY, label="metric-articles_created", glossary="articles_created", outcome="articles_created",
        headline=True,
    ),
    Metric(
        name="articles_created_deleted", value=lambda f: f.counts.articles_created_deleted,
        dimensions=COUNTS_EVERYWHERE, needs=Need.ANY, label="metric-articles_created_deleted",
        glossary="articles_created_deleted", outcome="articles_created_deleted",
    ),
    Metric(
        name="bytes_added", value=lambda f: f.counts.bytes_added, dimensions=COUNTS_EVERYWHERE, needs=Need.ANY,
        label="metric-bytes_added", glossary="bytes", outcome="bytes_added",
    ),
    Metric(
        name="bytes_removed", value=lambda f: f.counts.bytes_removed, dimensions=COUNTS_EVERYWHERE, needs=Need.ANY,
        label="metric-bytes_removed", glossary="bytes", outcome="bytes_removed",
    ),
    Metric(
        name="uploads", value=lambda f: f.counts.uploads, dimensions=COUNTS_EVERYWHERE, needs=Need.FILES,
        label="metric-uploads", glossary="uploads", outcome="uploads", outcome_when=_with_uploads, headline=True,
    ),
    Metric(
        name="uploads_in_use", value=lambda f: f.counts.uploads_in_use, dimensions=COUNTS_EVERYWHERE,
        needs=Need.FILES, label="metric-uploads_in_use", glossary="upload_usage", outcome="uploads_in_use",
        outcome_when=_with_uploads,
    ),
    Metric(
        name="upload_usage", value=lambda f: f.counts.upload_usage, dimensions=COUNTS_EVERYWHERE, needs=Need.FILES,
        label="metric-upload_usage", glossary="upload_usage", outcome="upload_usage", outcome_when=_with_uploads,
    ),
    Metric(
        name="bytes_net", value=lambda f: f.counts.bytes_net, dimensions=COUNTS_EVERYWHERE, needs=Need.ANY,
        label="metric-bytes_net", glossary="bytes", outcome="bytes_net",
    ),
    Metric(
        name="words_added", value=lambda f: f.words_added, dimensions=FIGURES_BY_DAY, needs=Need.CONTENT,
        label="metric-words_added", glossary="words_added", outcome="words_added",
    ),
    Metric(
        name="references_added", value=lambda f: f.references_added, dimensions=FIGURES_BY_DAY,
        needs=Need.CONTENT, label="metric-references_added", glossary="references", outcome="references_added",
    ),
    Metric(
        name="references_removed", value=lambda f: f.references_removed, dimensions=FIGURES_BY_DAY,
        needs=Need.CONTENT, label="metric-references_removed", glossary="references", outcome="references_removed",
    ),
    Metric(
        name="page_views", value=lambda f: f.page_views,
        dimensions=frozenset({Dimension.TOTAL, Dimension.DAY, Dimension.ARTICLE}), needs=Need.PAGEVIEWS,
        label="metric-page_views", glossary="page_views", outcome="page_views",
    ),
    PerDays(
        name="retention", read=lambda r: r.participants, label="metric-retention", glossary="retention",
        outcome="retention_{days}", column="retained_{days}_days",
    ),
    PerDays(
        # Not in the outcome box: it has a row for all participants only (docs/metrics.md, last section).
        name="new_editors_retention", read=lambda r: r.new_editors, label="metric-new_editors_retention",
        glossary="retention", outcome=None, column="new_editors_retained_{days}_days",
    ),
    _wikidata("items_created", ("items_created",)),
    _wikidata("claims", _changes("claims", "added", "changed", "removed")),
    _wikidata("labels", _changes("labels", "added", "changed", "removed")),
    _wikidata("descriptions", _changes("descriptions", "added", "changed", "removed")),
    _wikidata("aliases", _changes("aliases", "added", "removed")),
    _wikidata("sitelinks", _changes("sitelinks", "added", "changed", "removed")),
    _wikidata("properties_created", ("properties_created",)),
    _wikidata("qualifiers", _changes("qualifiers", "added", "changed", "removed")),
    _wikidata("references", _changes("references", "added", "changed", "removed")),
    _wikidata("redirects", ("redirects",)),
    Metric(
        # A count in the outcome; the site lists the articles where per-article figures may be shown. No column:
        # the downloads have no per-article alert (see docs/metrics.md).
        name="alerts", value=lambda f: alerted_articles(f.alerts), dimensions=frozenset({Dimension.TOTAL}),
        needs=Need.DELETION, label="metric-alerts", glossary="alerts", outcome="alerts", columns=(),
        lists_articles=True,
    ),
)  # fmt: skip


def published(retention_days: Iterable[int] = ()) -> tuple[Metric, ...]:
    """Every metric in publishing order, the per-N-days ones once for each of ``retention_days`` (those of the
    snapshot, or of all the snapshots a table shows)."""
    days = sorted(set(retention_days))
    found: list[Metric] = []
    for entry in REGISTRY:
        found.extend([entry] if isinstance(entry, Metric) else [entry.expand(d) for d in days])
    return tuple(found)


def in_dimension(dimension: Dimension, retention_days: Iterable[int] = ()) -> tuple[Metric, ...]:
    return tuple(metric for metric in published(retention_days) if dimension in metric.dimensions)


def headline(dimension: Dimension) -> tuple[Metric, ...]:
    return tuple(metric for metric in in_dimension(dimension) if metric.headline)


def columns(metrics: Iterable[Metric]) -> tuple[str, ...]:
    return tuple(column.name for metric in metrics for column in metric.csv_columns)


def cells(metrics: Iterable[Metric], figures: Figures) -> tuple[int | None, ...]:
    """The values of :func:`columns` for one row."""
    return tuple(column.value(figures) for metric in metrics for column in metric.csv_columns)


@dataclass(frozen=True)
class GlossaryEntry:
    """One entry of the site's glossary: the numbers one definition covers (bytes added, removed and net)."""

    id: str
    metrics: tuple[Declared, ...]

    @property
    def needs(self) -> tuple[Need, ...]:
        """What a program must track for these numbers, when not any wiki."""
        return tuple(dict.fromkeys(m.needs for m in self.metrics if m.needs is not Need.ANY))

    @property
    def outcome_names(self) -> tuple[str, ...]:
        return tuple(name for metric in self.metrics for name in metric.outcome_names)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for metric in self.metrics for name in metric.column_names)


GLOSSARY_RULES = ("window", "privacy")
"""Glossary entries that define no number of their own but rules every number follows (``glossary-<id>`` and
``glossary-<id>-term`` messages, shown after the metrics)."""


def glossary_entries() -> tuple[GlossaryEntry, ...]:
    """The registry grouped by glossary id, in registry order."""
    entries: dict[str, list[Declared]] = {}
    for entry in REGISTRY:
        entries.setdefault(entry.glossary, []).append(entry)
    return tuple(GlossaryEntry(key, tuple(found)) for key, found in entries.items())
