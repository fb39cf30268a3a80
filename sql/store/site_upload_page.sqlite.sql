-- sql/store/site_upload_page.sql on SQLite, whose text compares by code point already.
SELECT wiki, file, username, uploaded_at, file_usage
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = :taken_at AND (:uploader = '' OR username = :uploader)
ORDER BY uploaded_at DESC, wiki DESC, file DESC
LIMIT :max_rows OFFSET :skip
