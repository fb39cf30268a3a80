SELECT wiki, page_id, due_at, priority, again, lease_owner, lease_until, refresh_at
FROM update_queue WHERE program_key = :program_key
