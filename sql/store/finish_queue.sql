-- The run is over: due again at :due_at (its tier's next update), or at once if it was asked for again meanwhile
-- by a refresh or by a page revision newer than the run knew (:known_revid: its own save included).
-- The worker is remembered as the program's last owner (claim_next.sql takes its own first).
-- Only the lease holder can finish: a worker whose lease had passed (and whose program another took) changes nothing.
UPDATE update_queue
SET due_at = CASE WHEN again = 1 AND (again_revid = 0 OR again_revid > :known_revid) THEN :now ELSE :due_at END,
    priority = CASE WHEN again = 1 AND (again_revid = 0 OR again_revid > :known_revid) THEN 1 ELSE 2 END,
    again = 0, again_revid = 0, lease_owner = NULL, lease_until = 0, last_owner = :owner
WHERE program_key = :program_key AND lease_owner = :owner
