-- The ledger's live pages as they are now: a page missing here was deleted (or merged away); page_touched moves
-- forward on every edit, move, merge, undeletion and revision deletion or suppression of the page, and is the only
-- trace on the replicas of a suppression (the suppress log is not replicated). Primary-key lookups only. bot/ledger.py
-- asks pages_touched_since.sql first (one row per batch) and this only for a batch where a page is gone.
SELECT page_id, page_touched
FROM page
WHERE page_id IN %(page_ids)s
