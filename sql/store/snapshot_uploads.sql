SELECT wiki, file, username, uploaded_at, file_usage
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = :taken_at
ORDER BY wiki, file
