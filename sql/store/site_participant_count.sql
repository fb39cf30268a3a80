-- How many sign-ups a program has (every status): the participants tab's number of pages.
SELECT COUNT(*)
FROM program_participant
WHERE program_key = :program_key
