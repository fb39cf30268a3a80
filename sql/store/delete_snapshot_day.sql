DELETE FROM snapshot_day WHERE program_key = :program_key AND taken_at = :taken_at
