-- A ledger update's re-read (bot/ledger.py) of the revisions in the window on these live pages (pages a log event
-- named since the last read): the same columns and filters as revisions.sql, driven from the pages, ranging over
-- page x window on rev_page_timestamp, never over the actors' whole window on rev_actor_timestamp (bench/README.md:
-- that was most of an update). Every author's: facts_replica.reread keeps the participants' rows, so that a long
-- participant list costs no repeated range per batch of actors.
@include stats/_live_revision_columns
FROM page
STRAIGHT_JOIN revision_userindex r ON r.rev_page = page_id
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE page_id IN %(pages)s
  AND page_namespace IN %(namespaces)s
  AND r.rev_timestamp >= %(start)s
  AND r.rev_timestamp < %(end)s
