-- revisions_since.sql for a wiki that saved more since the last read than it reads at once (bot/ledger.py
-- WIKI_RANGE_ROWS, e.g. Wikidata over an hour): the same (id, author, time) rows, of the participants only, by the
-- actor and timestamp index, one batch of actors at a time.
SELECT rev_id, rev_actor, rev_timestamp
FROM revision_userindex
WHERE rev_actor IN %(actors)s
  AND rev_timestamp >= %(since)s
