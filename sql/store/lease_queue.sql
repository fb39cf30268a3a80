UPDATE update_queue SET lease_owner = :owner, lease_until = :lease_until, again = 0, again_revid = 0, priority = 2
WHERE program_key = :program_key
