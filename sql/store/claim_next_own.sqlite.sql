-- As claim_next_own.sql, without row locks (see claim_next.sqlite.sql).
SELECT program_key, wiki, page_id
FROM update_queue
WHERE last_owner = :owner AND priority = :scheduled AND due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude
ORDER BY due_at, program_key
LIMIT 1
