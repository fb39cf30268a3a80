-- Who uploaded one snapshot's files, each name once (names that differ only by case or accents are two).
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT DISTINCT username
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at)
