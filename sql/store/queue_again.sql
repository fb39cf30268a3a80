UPDATE update_queue SET again = 1 WHERE program_key = :program_key
