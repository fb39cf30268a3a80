-- The most urgent due program no live lease holds, with its priority and the worker that finished it last (Store.claim
-- then looks for one of its own, claim_next_own.sql, when this one is only scheduled and another's). FOR UPDATE SKIP
-- LOCKED (MariaDB 10.6+): a row another worker is claiming at this instant is skipped instead of waited for; the
-- lease written in the same transaction then keeps it for this worker. The order is the index's (priority, due_at),
-- so the statement reads and locks the rows it returns, not every due row: an order the index does not give makes
-- MariaDB read (and lock) them all, and a second worker then finds nothing to claim (tests/test_queue.py).
SELECT program_key, wiki, page_id, priority, last_owner
FROM update_queue
WHERE due_at <= :now AND lease_until <= :now AND wiki IN :wikis
  AND program_key NOT IN :exclude
ORDER BY priority, due_at, program_key
LIMIT 1
FOR UPDATE SKIP LOCKED
