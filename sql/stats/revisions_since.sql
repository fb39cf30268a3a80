-- A ledger update's first look at what is new (bot/ledger.py): every revision saved on the wiki since the last read
-- (less the replicas' lag), whoever its author, as (id, author, time, page) only. A range on rev_timestamp, so its
-- cost is what the whole wiki saved since, never the program's size: the participants' rows are picked out in Python
-- and read in full by id (revisions_by_id.sql), and their authors' latest edits (users.sql) are all that can have
-- moved; the newest time per page explains a page's page_touched (pages_touched_since.sql), whose rows then need no
-- re-read.
-- revision_userindex drops rows whose author is hidden, as revisions.sql does. At most %(limit)s rows: a wiki that saved
-- more since is read by the participants' actors instead (participant_revisions_since.sql).
SELECT rev_id, rev_actor, rev_timestamp, rev_page
FROM revision_userindex
WHERE rev_timestamp >= %(since)s
LIMIT %(limit)s
