-- Bring a queued program forward (never later) and raise its priority (never lower); the page id follows a move of
-- the key's page only in name: a key is wiki:page_id, so it is the same page.
UPDATE update_queue
SET due_at = CASE WHEN due_at < :due_at THEN due_at ELSE :due_at END,
    priority = CASE WHEN priority < :priority THEN priority ELSE :priority END
WHERE program_key = :program_key
