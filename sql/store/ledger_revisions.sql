SELECT rev_id, username, page_id, namespace, title, rev_timestamp, size, parent_size, parent_id, deleted
FROM ledger_revision
WHERE program_key = :program_key AND wiki = :wiki
