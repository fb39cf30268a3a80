-- Who uploaded one snapshot's files, each name once: grouped by its bytes, so that two names the column's case- and
-- accent-blind collation holds equal stay two. SQLite: site_uploaders.sqlite.sql.
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT MIN(username)
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at)
GROUP BY CAST(username AS BINARY)
