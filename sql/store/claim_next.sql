-- The most urgent due program no live lease holds, with its priority and the worker that finished it last. {mine}:
-- nothing, or Store.claim's fixed condition on last_owner = :owner and the scheduled priority, when the most urgent
-- program is only scheduled and another worker's: then one this worker finished last comes first (it remembers their
-- ledgers, bot/queue.py), read by the index on (last_owner, priority, due_at). FOR UPDATE SKIP LOCKED (MariaDB
-- 10.6+): a row another worker is claiming at this instant is skipped instead of waited for; the lease written in the
-- same transaction then keeps it for this worker. The order is an index's, so the statement reads and locks the rows
-- it returns, not every due row: an order no index gives makes MariaDB read (and lock) them all, and a second worker
-- then finds nothing to claim (tests/test_queue.py).
SELECT program_key, wiki, page_id, priority, last_owner
FROM update_queue
WHERE due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude {mine}
ORDER BY priority, due_at, program_key
LIMIT 1
FOR UPDATE SKIP LOCKED
