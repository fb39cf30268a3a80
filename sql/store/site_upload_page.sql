-- One page of one snapshot's files, newest first (equal times: wiki and file name descending, by code point as
-- Python compares them: the store's text compares exactly on both engines), all of them or one uploader's
-- (:uploader, '' for everyone).
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT wiki, file, username, uploaded_at, file_usage
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at)
  AND (:uploader = '' OR username = :uploader)
ORDER BY uploaded_at DESC, wiki DESC, file DESC
LIMIT :max_rows OFFSET :skip
