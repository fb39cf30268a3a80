-- A campaign's counts over the revisions its programs counted, each revision once however many programs counted it
-- (issue 15: two overlapping programs do not double an edit). :program_keys is the campaign's updated programs.
-- Same definitions as bot/aggregate.py: edits and bytes on existing pages, distinct pages edited and created
-- (by page id), edits on deleted pages, distinct deleted pages created (by title).
SELECT
  (SELECT COUNT(*) FROM (SELECT DISTINCT wiki, rev_id FROM ledger_revision
                         WHERE program_key IN :program_keys AND counted = 1 AND deleted = 0) AS e),
  (SELECT COUNT(*) FROM (SELECT DISTINCT wiki, rev_id FROM ledger_revision
                         WHERE program_key IN :program_keys AND counted = 1 AND deleted = 1) AS d),
  (SELECT COUNT(*) FROM (SELECT DISTINCT wiki, page_id FROM ledger_revision
                         WHERE program_key IN :program_keys AND counted = 1 AND deleted = 0) AS p),
  (SELECT COUNT(*) FROM (SELECT DISTINCT wiki, page_id FROM ledger_revision
                         WHERE program_key IN :program_keys AND counted = 1 AND deleted = 0 AND parent_id = 0) AS c),
  (SELECT COUNT(*) FROM (SELECT DISTINCT wiki, namespace, title FROM ledger_revision
                         WHERE program_key IN :program_keys AND counted = 1 AND deleted = 1 AND parent_id = 0) AS cd),
  (SELECT COALESCE(SUM(CASE WHEN delta > 0 THEN delta ELSE 0 END), 0)
          FROM (SELECT DISTINCT wiki, rev_id, size - parent_size AS delta FROM ledger_revision
                WHERE program_key IN :program_keys AND counted = 1 AND deleted = 0) AS ba),
  (SELECT COALESCE(SUM(CASE WHEN delta < 0 THEN -delta ELSE 0 END), 0)
          FROM (SELECT DISTINCT wiki, rev_id, size - parent_size AS delta FROM ledger_revision
                WHERE program_key IN :program_keys AND counted = 1 AND deleted = 0) AS br)
