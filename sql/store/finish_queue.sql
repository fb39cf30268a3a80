-- The run is over: due again at :due_at (its tier's next update), or at once if it was asked for again meanwhile.
-- Only the lease holder can finish: a worker whose lease had passed (and whose program another took) changes nothing.
UPDATE update_queue
SET due_at = CASE WHEN again = 1 THEN :now ELSE :due_at END,
    priority = CASE WHEN again = 1 THEN 1 ELSE 2 END,
    again = 0, lease_owner = NULL, lease_until = 0
WHERE program_key = :program_key AND lease_owner = :owner
