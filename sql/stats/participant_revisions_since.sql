-- revisions_since.sql for a wiki that saved more since the last read than it reads at once (bot/ledger.py
-- WIKI_RANGE_ROWS, e.g. Wikidata over an hour): the same (id, author, time, page, deletion bits) rows, of the
-- participants only, by the actor and timestamp index of revision_userindex, one batch of actors at a time (rev_page
-- is not in that index: one row lookup per new revision of a participant). Only a participant's revision can then
-- explain a page's touch, and one whose author is hidden is not seen at all.
SELECT rev_id, rev_actor, rev_timestamp, rev_page, rev_deleted
FROM revision_userindex
WHERE rev_actor IN %(actors)s
  AND rev_timestamp >= %(since)s
