-- As claim_next.sql. SQLite has no row locks: the claim runs in a BEGIN IMMEDIATE transaction, which already
-- excludes other writers.
SELECT program_key, wiki, page_id, priority, last_owner
FROM update_queue
WHERE due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude {mine}
ORDER BY priority, due_at, program_key
LIMIT 1
