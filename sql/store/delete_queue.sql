-- A frozen program leaves the queue (its page changing brings it back), as does a program whose page is gone.
DELETE FROM update_queue WHERE program_key = :program_key AND (lease_owner = :owner OR :owner = '')
