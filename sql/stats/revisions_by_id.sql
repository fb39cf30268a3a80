-- A ledger update's re-read of these revisions (the ledger's rows on pages an event changed) where they are live
-- now: the same columns and filters as revisions.sql, by primary key (a revision moved with its page to another
-- page id, or out of the tracked namespaces, or whose author was hidden, is found here or not at all). Whoever the
-- author: facts_replica.reread keeps the participants' rows.
@include stats/_live_revision_columns
FROM revision_userindex r
STRAIGHT_JOIN page ON page_id = r.rev_page
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE r.rev_id IN %(revs)s
  AND page_namespace IN %(namespaces)s
  AND r.rev_timestamp >= %(start)s
  AND r.rev_timestamp < %(end)s
