-- A program's sign-ups' usernames in sign-up order (sql/store/participants.sql): the participants tab sorts them by
-- name itself (without regard to case, as Python's str.casefold, which neither engine has) and then reads the
-- chosen page's rows (site_participant_page.sql).
SELECT username
FROM program_participant
WHERE program_key = :program_key
ORDER BY signed_up_at, username
