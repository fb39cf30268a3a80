-- sql/store/site_upload_count.sql on SQLite, whose text compares by code point already.
SELECT COUNT(*)
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = :taken_at AND (:uploader = '' OR username = :uploader)
