-- The revisions these programs counted (their ledgers), newest first, one page of them; a revision two programs of
-- a campaign counted is listed once. bytes: the change in size (0 for a revision of a page deleted since).
SELECT DISTINCT wiki, rev_id, username, namespace, title, rev_timestamp, size - parent_size, parent_id, deleted
FROM ledger_revision
WHERE program_key IN :program_keys AND counted = 1
ORDER BY rev_timestamp DESC, wiki, rev_id DESC
LIMIT :max_rows OFFSET :skip
