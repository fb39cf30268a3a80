INSERT INTO edit_log (wiki, page, program_key, kind, outcome, revision, detail, logged_at, sequence)
SELECT :wiki, :page, :program_key, :kind, :outcome, :revision, :detail, :logged_at, COALESCE(MAX(sequence), 0) + 1
FROM edit_log
