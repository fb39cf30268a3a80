-- The worker that last finished each queued program (bot/queue.py): a worker claims its own scheduled programs before
-- the others', so that a program keeps going to the process that remembers its ledger (bot/ledger.py) and its update
-- reads nothing back (an update by another worker, "cold", costs several times as much: bench/README.md). The index
-- lets claim_next.sql's own-program query read (and lock) a worker's own rows only.
ALTER TABLE update_queue ADD COLUMN last_owner VARCHAR(255);
CREATE INDEX update_queue_owner ON update_queue (last_owner, priority, due_at)
