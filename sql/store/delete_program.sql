DELETE FROM program WHERE program_key = :program_key
