-- One program's counted revisions, newest first, one page of them: sql/store/site_revisions.sql without its DISTINCT
-- (one program's rows are distinct by its primary key), so MariaDB sorts for the page instead of copying the ledger.
SELECT wiki, rev_id, username, namespace, title, rev_timestamp, size - parent_size, parent_id, deleted
FROM ledger_revision
WHERE program_key IN :program_keys AND counted = 1
ORDER BY rev_timestamp DESC, wiki, rev_id DESC
LIMIT :max_rows OFFSET :skip
