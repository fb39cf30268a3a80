-- The worker that last finished each queued program (bot/queue.py): a worker claims its own due programs before the
-- others', so that a program keeps going to the process that remembers its ledger (bot/ledger.py) and its update
-- reads nothing back (an update by another worker, "cold", costs about twice as much: bench/README.md).
ALTER TABLE update_queue ADD COLUMN last_owner VARCHAR(255)
