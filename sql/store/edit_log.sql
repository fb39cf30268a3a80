-- The edit log, newest first, optionally filtered (an empty filter matches everything).
SELECT wiki, page, program_key, kind, outcome, revision, detail, logged_at FROM edit_log
WHERE (:wiki = '' OR wiki = :wiki) AND (:program_key = '' OR program_key = :program_key)
  AND (:outcome = '' OR outcome = :outcome)
ORDER BY sequence DESC LIMIT :max_rows
