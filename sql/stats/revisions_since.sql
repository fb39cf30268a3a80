-- A ledger update's first look at what is new (bot/ledger.py): every revision saved on the wiki since the last read
-- (less the replicas' lag), whoever its author, as (id, author, time, page, deletion bits) only. A range on
-- rev_timestamp, so its cost is what the whole wiki saved since, never the program's size: the participants' rows are
-- picked out in Python and read in full by id (revisions_by_id.sql), and their authors' latest edits (users.sql) are
-- all that can have moved. The newest time per page explains a page's page_touched (pages_touched_since.sql), whose
-- rows then need no re-read, unless a revision of the page saved since has been hidden (rev_deleted): so this reads
-- `revision`, where a row whose author is hidden is kept with a NULL rev_actor (never a participant's, as
-- revisions.sql drops it), not revision_userindex, where it is gone. At most %(limit)s rows: a wiki that saved more
-- since is read by the participants' actors instead (participant_revisions_since.sql).
SELECT rev_id, rev_actor, rev_timestamp, rev_page, rev_deleted
FROM revision
WHERE rev_timestamp >= %(since)s
LIMIT %(limit)s
