-- The counts (bot/metrics.py Counts, definitions in docs/metrics.md) of the revisions counted by these programs,
-- over one dimension. Filled in by Store.ledger_counts from a fixed list, never from input:
--   {select}/{group}  the dimension: nothing (the total), wiki, username, day, or the article (existing pages only,
--                     {where});
--   {distinct}        DISTINCT over several programs (a campaign): a revision two programs counted counts once;
--   {columns}         the dimension's columns the derived table must carry;
--   {rows}            nothing, or only some rows of one wiki (:wiki, :rev_ids): those of the pages a ledger update
--                     wrote, before and after it (bot/aggregate.py LedgerDelta); by the primary key, no index.
-- Edits and bytes are on existing pages; edits on deleted pages are counted apart, without bytes; pages edited and
-- created are distinct (wiki, page id) (a creation has no parent), deleted pages created distinct by (wiki,
-- namespace, title): integer keys, no string built per row. The rows are wide (titles, names): with MariaDB's
-- default max_length_for_sort_data (1 KiB) each GROUP BY sorts row ids and reads every row again; 64 KiB and a
-- 64 MiB sort buffer for these statements only sort the rows themselves in memory (3x faster, bench/README.md).
-- SQLite (ledger_counts.sqlite.sql) has no multi-column COUNT(DISTINCT): the same counts over one text key.
SET STATEMENT max_length_for_sort_data = 65536, sort_buffer_size = 67108864 FOR
SELECT {select}
       SUM(1 - deleted),
       SUM(deleted),
       COUNT(DISTINCT CASE WHEN deleted = 0 THEN wiki END, CASE WHEN deleted = 0 THEN page_id END),
       COUNT(DISTINCT CASE WHEN deleted = 0 AND parent_id = 0 THEN wiki END,
                      CASE WHEN deleted = 0 AND parent_id = 0 THEN page_id END),
       COUNT(DISTINCT CASE WHEN deleted = 1 AND parent_id = 0 THEN wiki END,
                      CASE WHEN deleted = 1 AND parent_id = 0 THEN gone_namespace END,
                      CASE WHEN deleted = 1 AND parent_id = 0 THEN gone_title END),
       SUM(CASE WHEN deleted = 0 AND size > parent_size THEN size - parent_size ELSE 0 END),
       SUM(CASE WHEN deleted = 0 AND size < parent_size THEN parent_size - size ELSE 0 END)
FROM (SELECT {distinct} wiki, rev_id, {columns} deleted, page_id, namespace AS gone_namespace, title AS gone_title,
             parent_id, size, parent_size
      FROM ledger_revision
      WHERE program_key IN :program_keys AND counted = 1 {rows}) AS r
{where}
{group}
