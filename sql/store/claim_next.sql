-- The most urgent due program no live lease holds; of equal urgency, one this worker finished last before the others'
-- (it remembers their ledgers, bot/queue.py), which it takes once its own are done (a stopped worker's, or a busier
-- one's). FOR UPDATE SKIP LOCKED (MariaDB 10.6+): a row another worker is claiming at this instant is skipped
-- instead of waited for; the lease written in the same transaction then keeps it for this worker.
SELECT program_key, wiki, page_id
FROM update_queue
WHERE due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude
ORDER BY priority, CASE WHEN last_owner = :owner THEN 0 ELSE 1 END, due_at, program_key
LIMIT 1
FOR UPDATE SKIP LOCKED
