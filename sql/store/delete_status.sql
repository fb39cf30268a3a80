DELETE FROM program_status WHERE program_key = :program_key
