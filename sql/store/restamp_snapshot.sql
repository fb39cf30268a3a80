-- The same numbers again, on the same UTC day as the last snapshot, which already shares an earlier snapshot's rows:
-- it moves to the new time (one row; its breakdowns stay where rows_at says).
UPDATE snapshot SET taken_at = :taken_at
WHERE program_key = :program_key AND taken_at = :last_taken_at
