"""Wikidata metrics (metrics.md): per revision, the entity JSON diffed against its parent's.

The JSON is Wikibase's serialization as stored in a revision (and returned by ``prop=revisions&rvslots=main``):
``{"type": "item", "id": "Q1", "labels": {lang: {"language", "value"}}, "descriptions": {...}, "aliases": {lang:
[{"language", "value"}, ...]}, "claims": {P: [statement]}, "sitelinks": {site: {"site", "title", "badges"}}}``, a
statement being ``{"mainsnak", "type", "id", "rank", "qualifiers": {P: [snak]}, "qualifiers-order",
"references": [{"hash", "snaks": {P: [snak]}, "snaks-order"}]}``. Empty maps may be stored as ``[]`` (PHP's
``json_encode`` of an empty array): both mean empty.

Per revision:

* items created: the revision made the page (parent 0) and the entity is an item (properties created likewise);
* labels, descriptions: per language, added / changed (other value) / removed;
* aliases: per language and value, added / removed (a changed alias is one removed and one added);
* sitelinks: per site, added / changed (other title or badges) / removed;
* claims: statements matched by their id (GUID), added / changed (main value or rank) / removed;
* qualifiers: per statement and property, values added / removed, an added and a removed one of the same property
  paired into one changed; references: per statement likewise (compared by their snaks). The qualifiers and
  references of an added (removed) statement are added (removed) too. Snak hashes, ``datatype``, and the order
  fields are ignored (they follow from the values);
* redirects: the revision turned the page into a redirect, ``{"entity": "Q1", "redirect": "Q2"}``, the last step of a
  merge (``wbmergeitems`` empties the old item, then ``wbcreateredirect``) or a redirect made alone. The redirect
  revision counts as one redirect and nothing else. The emptying revision of a merge counts its removals, and the
  target item's revision its additions, as any edit would: the JSON alone does not tell a merge from an edit (the
  edit summary, ``wbmergeitems-to``/``-from``, does; P&E reads it), so merges are not counted apart. A revision
  whose parent is a redirect is diffed against an empty entity.

A revision whose JSON or whose parent's JSON cannot be read (hidden, missing, not an entity) is left out and listed
as unreadable. Only revisions of pages that still exist are counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from bot.config import WikiConfig
from bot.content_metrics import DEFAULT_BATCH, TextFetcher
from bot.metrics import RevisionFact, WikidataCounts

Entity = Mapping[str, Any]
EMPTY: Entity = {}


@dataclass(frozen=True)
class EntityDiff(WikidataCounts):
    """The counts of one revision, or a sum of them; :meth:`counts` is the plain WikidataCounts a snapshot stores."""

    def plus(self, other: WikidataCounts) -> EntityDiff:
        total = super().plus(other)
        assert isinstance(total, EntityDiff)
        return total

    def counts(self) -> WikidataCounts:
        return WikidataCounts(**{f.name: getattr(self, f.name) for f in fields(WikidataCounts)})


@dataclass(frozen=True)
class WikidataMetrics:
    total: EntityDiff
    by_participant: dict[str, EntityDiff]
    """Only participants with at least one counted revision."""
    by_revision: dict[int, EntityDiff]
    unreadable: tuple[int, ...] = ()


# --- reading ------------------------------------------------------------------------------------------------------


class Redirect(str):
    """The target of a redirect revision."""


def parse_entity(text: str | None) -> Entity | Redirect | None:
    """An entity (``{}`` for '', the parent of a creation), a Redirect, or None when the text is not one."""
    if text is None:
        return None
    if not text.strip():
        return EMPTY
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("redirect"), str) and "entity" in data:
        return Redirect(data["redirect"])
    return data


def _map(entity: Entity, key: str) -> Mapping[str, Any]:
    value = entity.get(key)
    return value if isinstance(value, Mapping) else {}


def _value(term: Any) -> Any:
    return term.get("value") if isinstance(term, Mapping) else term


def _snak(snak: Any) -> str:
    """A snak's meaning (type, property, value) as comparable text, without its hash or datatype."""
    if not isinstance(snak, Mapping):
        return json.dumps(snak, sort_keys=True)
    return json.dumps([snak.get("snaktype"), snak.get("property"), snak.get("datavalue")], sort_keys=True)


def _snaks(snaks: Any) -> dict[str, Counter[str]]:
    """Property -> multiset of snaks."""
    result: dict[str, Counter[str]] = {}
    if isinstance(snaks, Mapping):
        for prop, values in snaks.items():
            result[str(prop)] = Counter(_snak(v) for v in values) if isinstance(values, list) else Counter()
    return result


def _reference(reference: Any) -> str:
    snaks = reference.get("snaks") if isinstance(reference, Mapping) else None
    return json.dumps({p: sorted(c.elements()) for p, c in sorted(_snaks(snaks).items())})


def _statements(entity: Entity) -> dict[str, Mapping[str, Any]]:
    """Statement id -> statement, over every property (a statement without an id: property and position)."""
    result: dict[str, Mapping[str, Any]] = {}
    for prop, statements in _map(entity, "claims").items():
        if not isinstance(statements, list):
            continue
        for index, statement in enumerate(statements):
            if isinstance(statement, Mapping):
                result[str(statement.get("id") or f"{prop}#{index}")] = statement
    return result


def _paired(new: Counter[str], gone: Counter[str]) -> tuple[int, int, int]:
    """(added, changed, removed) from the values only in the new and only in the old version."""
    added, removed = sum((new - gone).values()), sum((gone - new).values())
    changed = min(added, removed)
    return added - changed, changed, removed - changed


def _statement_parts(current: Mapping[str, Any] | None, parent: Mapping[str, Any] | None) -> dict[str, int]:
    """Qualifiers and references added / changed / removed between two versions of one statement."""
    counts = dict.fromkeys(
        ("qualifiers_added", "qualifiers_changed", "qualifiers_removed", "references_added", "references_changed",
         "references_removed"), 0,
    )  # fmt: skip
    now = _snaks((current or {}).get("qualifiers"))
    before = _snaks((parent or {}).get("qualifiers"))
    for prop in now.keys() | before.keys():
        added, changed, removed = _paired(now.get(prop, Counter()), before.get(prop, Counter()))
        counts["qualifiers_added"] += added
        counts["qualifiers_changed"] += changed
        counts["qualifiers_removed"] += removed
    references_now = (current or {}).get("references")
    references_before = (parent or {}).get("references")
    added, changed, removed = _paired(
        Counter(_reference(r) for r in (references_now if isinstance(references_now, list) else [])),
        Counter(_reference(r) for r in (references_before if isinstance(references_before, list) else [])),
    )
    counts["references_added"] += added
    counts["references_changed"] += changed
    counts["references_removed"] += removed
    return counts


def _terms(current: Entity, parent: Entity, key: str) -> tuple[int, int, int]:
    now, before = _map(current, key), _map(parent, key)
    added = sum(1 for lang in now if lang not in before)
    removed = sum(1 for lang in before if lang not in now)
    changed = sum(1 for lang in now if lang in before and _value(now[lang]) != _value(before[lang]))
    return added, changed, removed


def _aliases(entity: Entity) -> set[tuple[str, Any]]:
    return {
        (str(lang), _value(alias))
        for lang, values in _map(entity, "aliases").items()
        if isinstance(values, list)
        for alias in values
    }


def _sitelink(link: Any) -> tuple[Any, ...]:
    if not isinstance(link, Mapping):
        return (link,)
    badges = link.get("badges")
    return link.get("title"), tuple(sorted(map(str, badges))) if isinstance(badges, list) else ()


def entity_diff(current: Entity | Redirect, parent: Entity | Redirect, *, creation: bool = False) -> EntityDiff:
    """One revision's counts from its entity and its parent's (EMPTY for a creation)."""
    if isinstance(current, Redirect):
        return EntityDiff(redirects=0 if parent == current else 1)
    if isinstance(parent, Redirect):
        parent = EMPTY
    kind = current.get("type")
    counts: dict[str, int] = {
        "items_created": int(creation and kind == "item"),
        "properties_created": int(creation and kind == "property"),
    }
    for key in ("labels", "descriptions"):
        counts[f"{key}_added"], counts[f"{key}_changed"], counts[f"{key}_removed"] = _terms(current, parent, key)
    aliases_now, aliases_before = _aliases(current), _aliases(parent)
    counts["aliases_added"] = len(aliases_now - aliases_before)
    counts["aliases_removed"] = len(aliases_before - aliases_now)
    links_now, links_before = _map(current, "sitelinks"), _map(parent, "sitelinks")
    counts["sitelinks_added"] = sum(1 for site in links_now if site not in links_before)
    counts["sitelinks_removed"] = sum(1 for site in links_before if site not in links_now)
    counts["sitelinks_changed"] = sum(
        1 for site in links_now if site in links_before and _sitelink(links_now[site]) != _sitelink(links_before[site])
    )
    statements_now, statements_before = _statements(current), _statements(parent)
    parts: Counter[str] = Counter()
    claims = Counter[str]()
    for statement_id in statements_now.keys() | statements_before.keys():
        now, before = statements_now.get(statement_id), statements_before.get(statement_id)
        if before is None:
            claims["added"] += 1
        elif now is None:
            claims["removed"] += 1
        elif _snak(now.get("mainsnak")) != _snak(before.get("mainsnak")) or now.get("rank") != before.get("rank"):
            claims["changed"] += 1
        parts.update(_statement_parts(now, before))
    counts.update({f"claims_{what}": claims[what] for what in ("added", "changed", "removed")})
    counts.update(parts)
    return EntityDiff(**counts)


def diff_texts(text: str | None, parent_text: str | None, *, creation: bool = False) -> EntityDiff | None:
    """One revision's counts from the two JSON texts; None if either cannot be read."""
    current, parent = parse_entity(text), parse_entity(parent_text)
    if current is None or parent is None or current is EMPTY:
        return None
    return entity_diff(current, parent, creation=creation)


# --- many revisions ----------------------------------------------------------------------------------------------


def wikidata_metrics(
    revisions: Iterable[RevisionFact], fetch_texts: TextFetcher, *, batch_size: int = DEFAULT_BATCH
) -> WikidataMetrics:
    """The Wikidata counts of these revisions (all of one Wikidata-like wiki; revisions of deleted pages are
    skipped). ``fetch_texts`` gets up to ``2 * batch_size`` revision ids at a time (revisions and parents)."""
    facts = [fact for fact in revisions if not fact.deleted]
    if len({fact.wiki for fact in facts}) > 1:
        raise ValueError("wikidata_metrics counts one wiki at a time (revision ids are per wiki)")
    total = EntityDiff()
    by_participant: dict[str, EntityDiff] = defaultdict(EntityDiff)
    by_revision: dict[int, EntityDiff] = {}
    unreadable: list[int] = []
    for start in range(0, len(facts), batch_size):
        batch = facts[start : start + batch_size]
        wanted = list(dict.fromkeys(r for fact in batch for r in (fact.rev_id, fact.parent_id) if r))
        texts: Mapping[int, str | None] = fetch_texts(wanted) if wanted else {}
        for fact in batch:
            parent_text = "" if fact.creation else texts.get(fact.parent_id)
            diff = diff_texts(texts.get(fact.rev_id), parent_text, creation=fact.creation)
            if diff is None:
                unreadable.append(fact.rev_id)
                continue
            by_revision[fact.rev_id] = diff
            by_participant[fact.username] = by_participant[fact.username].plus(diff)
            total = total.plus(diff)
    return WikidataMetrics(total, dict(by_participant), by_revision, tuple(unreadable))


def wiki_wikidata_metrics(wiki: WikiConfig, revisions: Iterable[RevisionFact]) -> WikidataMetrics:
    """The same through the wiki's API (bot.wiki: pywikibot, ``batch_size`` revision ids per request)."""
    from bot import wiki as wiki_access

    return wikidata_metrics(revisions, lambda ids: wiki_access.revision_texts(wiki, ids))
