-- sql/store/site_uploaders.sql on SQLite, whose text compares by code point already.
SELECT DISTINCT username
FROM snapshot_upload
WHERE program_key = :program_key AND taken_at = :taken_at
