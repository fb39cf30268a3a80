-- The counts (bot/metrics.py Counts, definitions in docs/metrics.md) of the revisions counted by these programs,
-- over one dimension. Filled in by Store.ledger_counts from a fixed list, never from input:
--   {select}/{group}  the dimension: nothing (the total), wiki, username, day, or the article (existing pages only,
--                     {where});
--   {distinct}        DISTINCT over several programs (a campaign): a revision two programs counted counts once;
--   {columns}         the dimension's columns the derived table must carry.
-- Edits and bytes are on existing pages; edits on deleted pages are counted apart, without bytes; pages edited and
-- created are distinct page_keys (a creation has no parent), deleted pages created distinct by title.
SELECT {select}
       SUM(1 - deleted),
       SUM(deleted),
       COUNT(DISTINCT CASE WHEN deleted = 0 THEN page_key END),
       COUNT(DISTINCT CASE WHEN deleted = 0 AND parent_id = 0 THEN page_key END),
       COUNT(DISTINCT CASE WHEN deleted = 1 AND parent_id = 0 THEN page_key END),
       SUM(CASE WHEN deleted = 0 AND size > parent_size THEN size - parent_size ELSE 0 END),
       SUM(CASE WHEN deleted = 0 AND size < parent_size THEN parent_size - size ELSE 0 END)
FROM (SELECT {distinct} wiki, rev_id, {columns} deleted, page_key, parent_id, size, parent_size
      FROM ledger_revision
      WHERE program_key IN :program_keys AND counted = 1) AS r
{where}
{group}
