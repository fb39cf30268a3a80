-- Issue 15, the ledger's speed (bench/README.md). ledger_revision.page_key goes: distinct pages are counted on
-- (wiki, page_id) and, for deleted pages, (wiki, namespace, title) (sql/store/ledger_counts.sql), and the 600-byte
-- key only widened every row a GROUP BY sorts. ledger_state.counting: what the rows' counted flags and local days
-- answer (bot/aggregate.py Counting: participants, window, time zone, article scope), so that an update marks only
-- the rows it writes while that stays the same, and all of them when it changes. ledger_state.written: a random
-- token of the last write, so that a process that remembers the ledger it wrote knows whether anyone wrote it since
-- (bot/ledger.py).
ALTER TABLE ledger_revision DROP COLUMN page_key;
ALTER TABLE ledger_state ADD COLUMN counting CHAR(64) NOT NULL DEFAULT '';
ALTER TABLE ledger_state ADD COLUMN written CHAR(32) NOT NULL DEFAULT ''
