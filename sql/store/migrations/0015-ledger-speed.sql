-- Issue 15, the ledger's speed (bench/README.md). ledger_revision.page_key goes: distinct pages are counted on
-- (wiki, page_id) and, for deleted pages, (wiki, namespace, title) (sql/store/ledger_counts.sql), and the 600-byte
-- key only widened every row a GROUP BY sorts.
ALTER TABLE ledger_revision DROP COLUMN page_key
