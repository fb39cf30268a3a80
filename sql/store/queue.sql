SELECT program_key, wiki, page_id, due_at, priority, lease_owner, lease_until FROM update_queue
ORDER BY due_at, program_key
