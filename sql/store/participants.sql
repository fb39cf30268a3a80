-- Every sign-up of a program with its status, in sign-up order.
SELECT username, status, added_by, revision, signed_up_at
FROM program_participant
WHERE program_key = :program_key
ORDER BY signed_up_at, username
