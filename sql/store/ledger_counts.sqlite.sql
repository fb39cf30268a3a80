-- ledger_counts.sql for SQLite, which has no multi-column COUNT(DISTINCT) nor SET STATEMENT: the same counts, the
-- distinct pages over one text key (wiki|page id for a live page, wiki|namespace|title for a deleted one).
SELECT {select}
       SUM(1 - deleted),
       SUM(deleted),
       COUNT(DISTINCT CASE WHEN deleted = 0 THEN wiki || '|' || page_id END),
       COUNT(DISTINCT CASE WHEN deleted = 0 AND parent_id = 0 THEN wiki || '|' || page_id END),
       COUNT(DISTINCT CASE WHEN deleted = 1 AND parent_id = 0 THEN wiki || '|' || gone_namespace || '|' || gone_title END),
       SUM(CASE WHEN deleted = 0 AND size > parent_size THEN size - parent_size ELSE 0 END),
       SUM(CASE WHEN deleted = 0 AND size < parent_size THEN parent_size - size ELSE 0 END)
FROM (SELECT {distinct} wiki, rev_id, {columns} deleted, page_id, namespace AS gone_namespace, title AS gone_title,
             parent_id, size, parent_size
      FROM ledger_revision
      WHERE program_key IN :program_keys AND counted = 1 {rows}) AS r
{where}
{group}
