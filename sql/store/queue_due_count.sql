-- How many of these programs are due now and held by no worker (a drain that took each of them once asks whether
-- to start again at once: bot/queue.py).
SELECT COUNT(*) FROM update_queue
WHERE due_at <= :now AND lease_until <= :now AND program_key IN :keys
