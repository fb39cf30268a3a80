-- How many files one snapshot has, all or one uploader's, as sql/store/site_upload_page.sql selects them.
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT COUNT(*)
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at)
  AND (:uploader = '' OR username = :uploader)
