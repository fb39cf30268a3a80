"""The numbers we publish, as values (definitions: the metrics glossary, metrics.md), and the per-revision facts
both stats backends deliver.

Two backends (Wiki Replicas SQL, and the Action API for wikis without replicas) each produce the same
:class:`RevisionFact` rows and small per-user facts; one aggregation turns them into :class:`Counts`, so the backends
can only disagree about facts, never about arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class RevisionFact:
    """One revision by a participant inside the window, on a tracked namespace of one wiki."""

    wiki: str
    rev_id: int
    username: str
    page_id: int
    """The page's id now (0 when the page has since been deleted)."""
    namespace: int
    """The page's namespace now (metrics.md: a draft moved to main counts)."""
    title: str
    """The page's title now, with underscores."""
    timestamp: datetime
    size: int
    parent_size: int
    """0 for a page creation."""
    parent_id: int
    deleted: bool = False
    """The page was deleted since: the revision lives in the archive."""

    @property
    def delta(self) -> int:
        return self.size - self.parent_size

    @property
    def creation(self) -> bool:
        return self.parent_id == 0


USING_PAGES_KEPT = 100
"""The pages using one upload that are kept and listed (the first in (wiki, title) order); ``usage`` counts them
all."""


@dataclass(frozen=True, slots=True)
class UsingPage:
    """A main-namespace page that uses an upload (metrics.md, "uploads in use")."""

    wiki: str
    """The database name of the page's wiki (GlobalUsage's gil_wiki: ``enwiki``), which need not be a tracked wiki."""
    title: str
    """Without namespace (main namespace), with underscores."""
    views: int | None = None
    """Its views of the last :data:`bot.page_views.USING_PAGE_VIEW_DAYS` complete UTC days; None where not known
    (no ``pageviews_project`` for its wiki, or the Pageviews API failed). The backends leave it None; bot/stats.py
    fills it in."""


@dataclass(frozen=True, slots=True)
class UploadFact:
    wiki: str
    username: str
    file: str
    """File name without namespace, with underscores."""
    timestamp: datetime
    usage: int = 0
    """Main-namespace pages of any wiki that use the file."""
    pages: tuple[UsingPage, ...] = ()
    """Those pages, at most :data:`USING_PAGES_KEPT` of them, in (wiki, title) order."""


@dataclass(frozen=True, slots=True)
class UserFact:
    """What we need to know about a participant on one wiki, besides their revisions."""

    wiki: str
    username: str
    registration: datetime | None
    """None for accounts so old that MediaWiki did not record it."""
    last_edit: datetime | None
    """Their latest edit in the program's tracked namespaces, at any time (retention: is it after end + N days?)."""


@dataclass(frozen=True)
class WikidataCounts:
    """The Wikidata counts of a program (metrics.md, "Wikidata"): per category added / changed / removed, as
    bot/wikidata_diff.py counts them. Every field has a default, so a snapshot stored before a field existed loads
    with 0 for it."""

    items_created: int = 0
    claims_added: int = 0
    claims_changed: int = 0
    claims_removed: int = 0
    labels_added: int = 0
    labels_changed: int = 0
    labels_removed: int = 0
    descriptions_added: int = 0
    descriptions_changed: int = 0
    descriptions_removed: int = 0
    aliases_added: int = 0
    aliases_removed: int = 0
    sitelinks_added: int = 0
    sitelinks_changed: int = 0
    sitelinks_removed: int = 0
    properties_created: int = 0
    qualifiers_added: int = 0
    qualifiers_changed: int = 0
    qualifiers_removed: int = 0
    references_added: int = 0
    references_changed: int = 0
    references_removed: int = 0
    redirects: int = 0
    """Revisions that turned an entity into a redirect (the last step of a merge, or a redirect made alone)."""

    def plus(self, other: WikidataCounts) -> WikidataCounts:
        """Field-wise sums; a subclass with more fields gets back its own type."""
        return type(self)(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass(frozen=True, slots=True)
class Counts:
    """One row of numbers: a program's total, or one wiki's, one participant's or one day's share of it."""

    edits: int = 0
    edits_deleted: int = 0
    articles_edited: int = 0
    articles_created: int = 0
    articles_created_deleted: int = 0
    bytes_added: int = 0
    bytes_removed: int = 0
    uploads: int = 0
    uploads_in_use: int = 0
    upload_usage: int = 0

    @property
    def bytes_net(self) -> int:
        return self.bytes_added - self.bytes_removed

    def plus(self, other: Counts) -> Counts:
        """Sums of every count: a campaign's totals, or a wiki's counts plus its uploads."""
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counts)))


@dataclass(frozen=True)
class DayFigures:
    """One day's share of the metrics that are not :class:`Counts` (metrics.md, "Breakdowns"): the words and
    references of the counted revisions made that local day (the program's time zone, the days of
    ``ProgramMetrics.by_day``), their Wikidata counts, and the views of the program's articles on that day.

    Page-view days are UTC days, as the Pageviews API's (bot/page_views.py): a day's ``page_views`` are the views
    of that UTC day, while its other figures are of the local day of the same date. None where the program has no
    such metric at all (no content wiki, no Wikidata-like wiki, no wiki with page views), as for the totals.
    Alerts and retention have no per-day figures: they describe the articles and the participants now."""

    words_added: int | None = None
    references_added: int | None = None
    references_removed: int | None = None
    page_views: int | None = None
    wikidata: WikidataCounts | None = None


@dataclass(frozen=True)
class Retention:
    days: int
    participants: int | None
    """None while pending: the instant end + days has not passed yet."""
    new_editors: int | None


@dataclass(frozen=True)
class ProgramMetrics:
    total: Counts
    by_wiki: dict[str, Counts]
    by_participant: dict[str, Counts]
    by_day: dict[date, Counts]
    participants: int
    new_editors: tuple[str, ...]
    retention: tuple[Retention, ...]
    by_article: dict[tuple[str, int, str], Counts] = field(default_factory=dict)
    """Per (wiki, namespace, title) of each page edited or created (existing pages), for page views and exports."""
    uploads: tuple[UploadFact, ...] = ()
    """The counted uploads, for exports."""
    words_added: int | None = None
    references_added: int | None = None
    references_removed: int | None = None
    page_views: int | None = None
    wikidata: WikidataCounts | None = None
    page_views_by_article: dict[tuple[str, int, str], int] = field(default_factory=dict)
    alerts: tuple[tuple[str, int, str, str, str], ...] = field(default=())
    """(wiki, namespace, title, category or discussion page, kind: "category" or "discussion")."""
    """(wiki, namespace, title, category) of pages now in a deletion category."""
    day_figures: dict[date, DayFigures] = field(default_factory=dict)
    """Words, references, Wikidata counts and page views per day, in day order (see :class:`DayFigures`)."""
