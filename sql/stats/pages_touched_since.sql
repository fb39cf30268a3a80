-- Of the ledger's live pages (bot/ledger.py), how many still exist and which were touched at or after %(since)s.
-- page_touched moves forward on every edit, move, merge, undeletion and revision deletion or suppression of the
-- page, and is the only trace on the replicas of a suppression (the suppress log is not replicated). page has no
-- index on page_touched, so this is one primary-key probe per page; one row comes back per statement (a batch of
-- ledger.PAGE_BATCH ids, at most ~55 KB of touched ids, below MariaDB's default group_concat_max_len of 1 MB), not
-- one per page: decoding a row per page was most of this check's time (bench/README.md). A count below the
-- batch's size means a page is gone (deleted or merged away): page_touched.sql then says which.
SELECT COUNT(*), GROUP_CONCAT(IF(page_touched >= %(since)s, page_id, NULL))
FROM page
WHERE page_id IN %(page_ids)s
