-- Of the scheduled due programs no live lease holds, the one this worker finished last that is due first (it
-- remembers their ledgers: bot/queue.py), read by the index on (last_owner, priority, due_at), so that only its own
-- rows are read and locked. FOR UPDATE SKIP LOCKED as claim_next.sql.
SELECT program_key, wiki, page_id
FROM update_queue
WHERE last_owner = :owner AND priority = :scheduled AND due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude
ORDER BY due_at, program_key
LIMIT 1
FOR UPDATE SKIP LOCKED
