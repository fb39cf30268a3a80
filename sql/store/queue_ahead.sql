-- How many due programs no worker holds would be taken before this one (its place in line is that plus one).
SELECT COUNT(*) FROM update_queue
WHERE due_at <= :now AND lease_until <= :now
  AND (priority < :priority OR (priority = :priority AND (due_at < :due_at OR (due_at = :due_at AND program_key < :program_key))))
