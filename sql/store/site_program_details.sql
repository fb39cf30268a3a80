-- What the web site states about programs besides their numbers (one program, or every one with :program_key '').
SELECT program_key, page_id, program_type, timezone, window_start, window_end, namespaces, description,
       institution, location, organizers, facilitators, scope, signup_open, signup_close
FROM program
WHERE :program_key = '' OR program_key = :program_key
