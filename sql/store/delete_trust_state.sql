DELETE FROM program_trust WHERE program_key = :program_key
