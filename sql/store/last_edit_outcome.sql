-- The latest logged outcome for one target (page, program, kind).
SELECT outcome, revision FROM edit_log
WHERE wiki = :wiki AND page = :page AND program_key = :program_key AND kind = :kind
ORDER BY sequence DESC LIMIT 1
