INSERT INTO snapshot_upload (program_key, taken_at, wiki, file, username, uploaded_at, file_usage)
VALUES (:program_key, :taken_at, :wiki, :file, :username, :uploaded_at, :file_usage)
