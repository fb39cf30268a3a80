DELETE FROM snapshot_upload_page WHERE program_key = :program_key AND taken_at = :taken_at
