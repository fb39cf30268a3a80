SELECT program_key, owner, started_at, finished_at, ok FROM update_run
WHERE finished_at >= :since ORDER BY started_at, program_key
