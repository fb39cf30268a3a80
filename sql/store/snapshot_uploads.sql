-- One snapshot's counted uploads (stored under its rows_at).
SELECT wiki, file, username, uploaded_at, file_usage
FROM snapshot_upload
WHERE program_key = :program_key
  AND taken_at = (SELECT rows_at FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at)
ORDER BY wiki, file
