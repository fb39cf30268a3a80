-- Of the ledger's live pages (bot/ledger.py), how many still exist, and which were touched at or after %(since)s
-- with their page_touched and page_latest ("id:page_touched:page_latest", comma-separated). page_touched moves
-- forward on every edit (to the new revision's rev_timestamp), move, merge, undeletion, revision deletion or
-- suppression, purge and template change of the page, and is the only trace on the replicas of a suppression (the
-- suppress log is not replicated); the ledger re-reads a touched page's rows only when its page_touched and
-- page_latest are not the time and id of the newest revision it saw saved on it since (a latest revision it did not
-- see: its author hidden; tests/test_ledger.py checks what an edit, a suppression and a move do to page_touched on
-- the dev wiki). page has no index on
-- page_touched, so this is one primary-key probe per page; one row comes back per statement (a batch of
-- ledger.PAGE_BATCH ids, at most ~170 KB of touched pages, below MariaDB's default group_concat_max_len of 1 MB), not
-- one per page: decoding a row per page was most of this check's time (bench/README.md). A count below the batch's
-- size means a page is gone (deleted or merged away): page_touched.sql then says which.
SELECT COUNT(*), GROUP_CONCAT(IF(page_touched >= %(since)s, CONCAT_WS(':', page_id, page_touched, page_latest), NULL))
FROM page
WHERE page_id IN %(page_ids)s
