-- The programs a user signed up for (any status), for the site's user page.
SELECT program_key, status
FROM program_participant
WHERE username = :username
ORDER BY program_key
