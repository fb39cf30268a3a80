UPDATE update_queue SET refresh_at = :refresh_at WHERE program_key = :program_key
