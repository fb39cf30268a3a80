UPDATE update_queue SET lease_until = :lease_until WHERE program_key = :program_key AND lease_owner = :owner
