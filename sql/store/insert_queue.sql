-- IGNORE: a second planner queueing the same program at the same moment changes nothing.
INSERT IGNORE INTO update_queue (program_key, wiki, page_id, due_at, priority)
VALUES (:program_key, :wiki, :page_id, :due_at, :priority)
