"""Words added and references added/removed (metrics.md), from revision texts and their parents' texts.

Per revision, with ``parent`` the text of its parent revision ('' for a page creation):

* words: ``max(0, words(text) - words(parent))`` where ``words`` counts the whitespace-separated tokens of the
  readable text: the wikitext parsed with mwparserfromhell, references (``<ref>``, ``<references>``), tables (wiki
  markup and HTML), ``<includeonly>`` parts, category links and file links (except the caption of a thumbnail or
  framed file) taken out, then ``strip_code`` (which drops templates, parser functions, comments and the contents of
  ``<math>``, ``<gallery>``, ... and keeps link labels, headings, bold/italic text and ``<nowiki>`` text as shown),
  behaviour switches (``__NOTOC__``) dropped. A redirect page has no words.
* references: ``d = references(text) - references(parent)``; added ``max(d, 0)``, removed ``max(-d, 0)``.
  ``references`` counts footnotes *defined*: ``<ref>`` tags with content, and ``{{#tag:ref|content}}``, except those
  nested inside another reference; a named reference defined twice is one footnote (``<ref name=x/>`` and
  ``<ref name=x></ref>`` are reuses, not definitions); plus the wiki's short-footnote templates (``{{Sfn}}`` etc.,
  the names from its config, first letter case-insensitive, ``Template:`` prefix allowed), each distinct call once
  (identical calls make one footnote, as Sfn merges them), not counting those inside a ``<ref>`` (e.g. ``{{Harvnb}}``
  inside a ref is that ref, not another). Wikitext inside comments and ``<nowiki>``/``<pre>``/``<syntaxhighlight>``
  is not markup, so a ``<ref>`` there is not a reference; an unclosed ``<ref>`` is shown as text and is none either.

Only revisions of pages that still exist are counted (the API cannot read deleted revisions). A revision whose text
or whose parent's text cannot be read (hidden by an admin, missing) is left out and listed in ``unreadable``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import mwparserfromhell
from mwparserfromhell.nodes import (
    Argument,
    Comment,
    ExternalLink,
    Heading,
    Node,
    Tag,
    Template,
    Text,
    Wikilink,
)
from mwparserfromhell.wikicode import Wikicode

from bot.config import WikiConfig
from bot.metrics import RevisionFact

TextFetcher = Callable[[Sequence[int]], Mapping[int, "str | None"]]
"""Revision ids -> their main-slot text (None or absent: hidden, deleted or missing)."""

# Revisions whose texts are fetched (with their parents') and parsed at a time: bounds the memory used, and at most
# 500 ids, what one API request of a bot takes (bot/wiki.py batch_size).
DEFAULT_BATCH = 250

# Tags whose whole content is not readable text of the article.
_REMOVED_TAGS = frozenset({"ref", "references", "table", "includeonly"})
_BREAKS = frozenset({"br", "hr"})
# File link options that show the caption under the image (otherwise it is only a tooltip).
_CAPTIONED = frozenset({"thumb", "thumbnail", "frame", "framed"})
_FILE_OPTION = re.compile(
    r"^(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|upright|baseline|sub|super|"
    r"top|text-top|middle|bottom|text-bottom|\d*(?:x\d+)?px|(?:upright|thumb|thumbnail|alt|link|page|lang|class)=.*)$",
    re.IGNORECASE | re.DOTALL,
)
_BEHAVIOUR_SWITCH = re.compile(r"__[^\W_]+(?:_[^\W_]+)*__")


class ContentCounts(NamedTuple):
    words_added: int = 0
    references_added: int = 0
    references_removed: int = 0

    def plus(self, other: ContentCounts) -> ContentCounts:
        return ContentCounts(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))


@dataclass(frozen=True)
class ContentMetrics:
    total: ContentCounts
    by_participant: dict[str, ContentCounts]
    """Only participants with at least one counted revision."""
    by_revision: dict[int, ContentCounts]
    """Each counted revision's share (e.g. for per-day numbers)."""
    unreadable: tuple[int, ...] = ()
    """Revisions left out because their text or their parent's text could not be read."""


def _name(value: str) -> str:
    """A title or namespace name as MediaWiki compares it: spaces for underscores, single spaces, trimmed."""
    return " ".join(value.replace("_", " ").split())


def _first_upper(value: str) -> str:
    return value[:1].upper() + value[1:]


@dataclass(frozen=True)
class TextRules:
    """What a wiki's wikitext means for the counts: its short-footnote templates and its namespace names."""

    footnote_templates: frozenset[str] = frozenset()
    """Normalized template names (first letter upper case, spaces)."""
    file_namespaces: frozenset[str] = frozenset({"file", "image"})
    category_namespaces: frozenset[str] = frozenset({"category"})
    template_namespaces: frozenset[str] = frozenset({"template"})
    redirect_words: frozenset[str] = frozenset({"#redirect"})

    @classmethod
    def make(
        cls,
        footnote_templates: Iterable[str] = (),
        *,
        file_namespaces: Iterable[str] = ("File", "Image"),
        category_namespaces: Iterable[str] = ("Category",),
        template_namespaces: Iterable[str] = ("Template",),
        redirect_words: Iterable[str] = ("#REDIRECT",),
    ) -> TextRules:
        """Namespace names are compared case-insensitively (as MediaWiki does); template names only differ from
        MediaWiki's page names by their first letter's case."""
        return cls(
            footnote_templates=frozenset(_first_upper(_name(n)) for n in footnote_templates if _name(n)),
            file_namespaces=frozenset(_name(n).lower() for n in file_namespaces),
            category_namespaces=frozenset(_name(n).lower() for n in category_namespaces),
            template_namespaces=frozenset(_name(n).lower() for n in template_namespaces),
            redirect_words=frozenset(w.strip().lower() for w in redirect_words),
        )

    def template_name(self, raw: str) -> str:
        name = _name(raw)
        namespace, colon, rest = name.partition(":")
        if colon and _name(namespace).lower() in self.template_namespaces:
            name = _name(rest)
        return _first_upper(name)


DEFAULT_RULES = TextRules.make()


def text_rules(wiki: WikiConfig, namespace_names: Mapping[int, Collection[str]] | None = None) -> TextRules:
    """A wiki's rules from its config (footnote templates) and its namespace names (local, canonical, aliases of
    namespaces 6, 14 and 10; bot.wiki.namespace_names gives them), English names when not given."""
    names = namespace_names or {}
    return TextRules.make(
        footnote_templates=wiki.footnote_templates,
        file_namespaces={"File", "Image", *names.get(6, ())},
        category_namespaces={"Category", *names.get(14, ())},
        template_namespaces={"Template", *names.get(10, ())},
    )


# --- one text --------------------------------------------------------------------------------------------------


def _tag_name(tag: Tag) -> str:
    return str(tag.tag).strip().lower()


def _attribute(tag: Tag, name: str) -> str:
    for attribute in tag.attributes:
        if str(attribute.name).strip().lower() == name:
            return str(attribute.value or "").strip()
    return ""


def _children(node: Node) -> Iterable[Wikicode]:
    if isinstance(node, Template):
        yield node.name
        for parameter in node.params:
            yield parameter.value
    elif isinstance(node, Tag):
        for attribute in node.attributes:
            if attribute.value is not None:
                yield attribute.value
        if node.contents is not None:
            yield node.contents
    elif isinstance(node, Wikilink):
        yield node.title
        if node.text is not None:
            yield node.text
    elif isinstance(node, ExternalLink):
        yield node.url
        if node.title is not None:
            yield node.title
    elif isinstance(node, Heading):
        yield node.title
    elif isinstance(node, Argument):
        yield node.name
        if node.default is not None:
            yield node.default


def _footnotes(code: Wikicode, rules: TextRules, found: set[tuple[str, ...]], unnamed: list[None]) -> None:
    """Collect the footnotes defined in ``code``: named ones (and footnote template calls) as keys in ``found``,
    unnamed ones as entries of ``unnamed``. Nothing inside a reference is looked at."""
    for node in code.nodes:
        if isinstance(node, Tag) and _tag_name(node) == "ref":
            if not node.self_closing and node.contents is not None and str(node.contents).strip():
                name = _attribute(node, "name")
                if name:
                    found.add(("ref", _attribute(node, "group"), name))
                else:
                    unnamed.append(None)
            continue
        if isinstance(node, Template):
            raw = str(node.name)
            if raw.strip().lower().replace(" ", "").startswith("#tag:ref"):
                body = next((p for p in node.params if not p.showkey), None)
                if body is not None and str(body.value).strip():
                    named = {str(p.name).strip().lower(): str(p.value).strip() for p in node.params if p.showkey}
                    if named.get("name"):
                        found.add(("ref", named.get("group", ""), named["name"]))
                    else:
                        unnamed.append(None)
                continue
            name = rules.template_name(raw)
            if name in rules.footnote_templates:
                arguments = tuple(f"{str(p.name).strip()}={str(p.value).strip()}" for p in node.params)
                found.add(("template", name, *arguments))
        for child in _children(node):
            _footnotes(child, rules, found, unnamed)


def count_references(wikitext: str, rules: TextRules = DEFAULT_RULES) -> int:
    """Footnotes the text defines (see the module's documentation)."""
    return _references(mwparserfromhell.parse(wikitext), rules)


def _references(code: Wikicode, rules: TextRules) -> int:
    found: set[tuple[str, ...]] = set()
    unnamed: list[None] = []
    _footnotes(code, rules, found, unnamed)
    return len(found) + len(unnamed)


def _link_namespace(link: Wikilink) -> tuple[str, bool]:
    """The namespace name of a link's target, lower case, and whether the link is shown as a link (leading ':')."""
    title = str(link.title).strip()
    shown = title.startswith(":")
    namespace, colon, _ = title.lstrip(":").partition(":")
    return (_name(namespace).lower() if colon else ""), shown


def _segments(code: Wikicode) -> list[list[Node]]:
    """The parts of a file link's options between top-level pipes (a pipe inside a nested link or template stays)."""
    segments: list[list[Node]] = [[]]
    for node in code.nodes:
        if isinstance(node, Text) and "|" in node.value:
            first, *rest = node.value.split("|")
            segments[-1].append(Text(first))
            segments += [[Text(part)] for part in rest]
        else:
            segments[-1].append(node)
    return segments


def _caption(link: Wikilink) -> list[Node] | None:
    """The caption shown under a thumbnail or framed file (its nodes), else None."""
    if link.text is None:
        return None
    segments = _segments(link.text)
    options = {"".join(map(str, segment)).strip().lower() for segment in segments}
    last = "".join(map(str, segments[-1])).strip()
    if not options & _CAPTIONED or not last or _FILE_OPTION.match(last):
        return None
    return segments[-1]


def readable_text(wikitext: str, rules: TextRules = DEFAULT_RULES) -> str:
    """The text a reader sees, roughly (see the module's documentation)."""
    return _readable_text(wikitext, mwparserfromhell.parse(wikitext), rules)


def _readable_text(wikitext: str, code: Wikicode, rules: TextRules) -> str:
    """``code`` (the parsed ``wikitext``, changed in place) as a reader sees it."""
    first = wikitext.lstrip().split(None, 1)
    if first and first[0].lower().split("[[")[0].rstrip(":") in rules.redirect_words:
        return ""
    _hide_unread(code, rules)
    text = code.strip_code(normalize=True, collapse=True, keep_template_params=False)
    return _BEHAVIOUR_SWITCH.sub(" ", text)


def _hide_unread(code: Wikicode, rules: TextRules) -> None:
    """Replace, in place, each node a reader does not see by what they see instead (nothing, a space, a caption),
    a node before what it holds: what is removed with it is never looked at, and a caption's nodes are looked at
    where they land. Each node is replaced through its own parent's list; mwparserfromhell's ``Wikicode.replace``
    searches the whole tree for the node every time, which made a long article's words quadratic in its links
    (bench/README.md: most of a first words/references pass)."""
    nodes = code.nodes
    i = 0
    while i < len(nodes):
        node = nodes[i]
        replacement = _unread_replacement(node, rules)
        if replacement is None:
            for child in node.__children__():
                _hide_unread(child, rules)
            i += 1
        else:
            nodes[i : i + 1] = replacement  # looked at next: spaces stay, a caption's nodes are looked at in turn


def _unread_replacement(node: Node, rules: TextRules) -> list[Node] | None:
    """What a reader sees instead of ``node``, or None when they see the node itself (its parts looked at apart)."""
    if isinstance(node, Comment) or (isinstance(node, Tag) and _tag_name(node) in _REMOVED_TAGS):
        return []
    if isinstance(node, Tag) and (node.self_closing or _tag_name(node) in _BREAKS):
        return [Text(" ")]  # <br>, <hr>, list markup: words on either side stay apart
    if isinstance(node, Wikilink):
        namespace, shown = _link_namespace(node)
        if not shown and namespace in rules.category_namespaces:
            return []
        if not shown and namespace in rules.file_namespaces:
            caption = _caption(node)
            return [Text(" ")] if caption is None else [Text(" "), *caption, Text(" ")]
        if shown and node.text is None:
            # [[:Category:Rivers]] shows the title without its leading colon.
            return [Text(str(node.title).strip()[1:])]
    return None


def count_words(wikitext: str, rules: TextRules = DEFAULT_RULES) -> int:
    return len(readable_text(wikitext, rules).split())


class TextCounts(NamedTuple):
    words: int
    references: int


def text_counts(wikitext: str, rules: TextRules = DEFAULT_RULES) -> TextCounts:
    """Words and references of one text, parsed once: the references are counted before the words' pass changes
    the parsed text."""
    code = mwparserfromhell.parse(wikitext)
    references = _references(code, rules)
    return TextCounts(len(_readable_text(wikitext, code, rules).split()), references)


def revision_counts(text: TextCounts, parent: TextCounts) -> ContentCounts:
    """One revision's share: positive word difference; reference difference split into added and removed."""
    references = text.references - parent.references
    return ContentCounts(max(text.words - parent.words, 0), max(references, 0), max(-references, 0))


# --- many revisions ----------------------------------------------------------------------------------------------


@dataclass
class _Counter:
    fetch: TextFetcher
    rules: TextRules
    known: dict[int, TextCounts | None] = field(default_factory=lambda: {0: TextCounts(0, 0)})

    def load(self, rev_ids: Iterable[int]) -> None:
        wanted = [rev_id for rev_id in dict.fromkeys(rev_ids) if rev_id not in self.known]
        if not wanted:
            return
        texts = self.fetch(wanted)
        for rev_id in wanted:
            text = texts.get(rev_id)
            self.known[rev_id] = None if text is None else text_counts(text, self.rules)


def content_metrics(
    revisions: Iterable[RevisionFact],
    fetch_texts: TextFetcher,
    rules: TextRules = DEFAULT_RULES,
    *,
    batch_size: int = DEFAULT_BATCH,
) -> ContentMetrics:
    """Words added and references added/removed by these revisions (all of one wiki); revisions of deleted pages
    are skipped. ``fetch_texts`` is called with up to ``2 * batch_size`` revision ids at a time (revisions and their
    parents), never twice for the same id."""
    facts = [fact for fact in revisions if not fact.deleted]
    if len({fact.wiki for fact in facts}) > 1:
        raise ValueError("content_metrics counts one wiki at a time (revision ids are per wiki)")
    counter = _Counter(fetch_texts, rules)
    total = ContentCounts()
    by_participant: dict[str, ContentCounts] = defaultdict(ContentCounts)
    by_revision: dict[int, ContentCounts] = {}
    unreadable: list[int] = []
    for start in range(0, len(facts), batch_size):
        batch = facts[start : start + batch_size]
        counter.load(rev_id for fact in batch for rev_id in (fact.rev_id, fact.parent_id))
        for fact in batch:
            text, parent = counter.known[fact.rev_id], counter.known[fact.parent_id]
            if text is None or parent is None:
                unreadable.append(fact.rev_id)
                continue
            counts = revision_counts(text, parent)
            by_revision[fact.rev_id] = counts
            by_participant[fact.username] = by_participant[fact.username].plus(counts)
            total = total.plus(counts)
    return ContentMetrics(total, dict(by_participant), by_revision, tuple(unreadable))


def wiki_content_metrics(wiki: WikiConfig, revisions: Iterable[RevisionFact]) -> ContentMetrics:
    """The same through the wiki's API (bot.wiki: pywikibot, ``batch_size`` revision ids per request), with the
    wiki's footnote templates and namespace names."""
    from bot import wiki as wiki_access

    rules = text_rules(wiki, wiki_access.namespace_names(wiki, (6, 10, 14)))
    return content_metrics(revisions, lambda ids: wiki_access.revision_texts(wiki, ids), rules)
