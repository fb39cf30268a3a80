-- What record_program last wrote for a program: digests of its definition and of its sign-ups.
SELECT digest, participants_digest FROM program WHERE program_key = :program_key
