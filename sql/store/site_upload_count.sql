-- How many files one snapshot has, all or one uploader's, as sql/store/site_upload_page.sql selects them.
SELECT COUNT(*)
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = :taken_at
  AND (:uploader = '' OR CAST(username AS BINARY) = CAST(:uploader AS BINARY))
