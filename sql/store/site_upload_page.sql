-- One page of one snapshot's files, newest first (equal times: wiki and file name descending, by code point as
-- Python compares them), all of them or one uploader's (:uploader, '' for everyone; compared exactly, not by the
-- column's case- and accent-blind collation). SQLite: site_upload_page.sqlite.sql (text compares by code point there).
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT wiki, file, username, uploaded_at, file_usage
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at)
  AND (:uploader = '' OR CAST(username AS BINARY) = CAST(:uploader AS BINARY))
ORDER BY uploaded_at DESC, CAST(wiki AS BINARY) DESC, CAST(file AS BINARY) DESC
LIMIT :max_rows OFFSET :skip
