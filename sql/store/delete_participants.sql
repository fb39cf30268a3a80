DELETE FROM program_participant WHERE program_key = :program_key
