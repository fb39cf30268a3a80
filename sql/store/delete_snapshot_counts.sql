DELETE FROM snapshot_counts WHERE program_key = :program_key AND taken_at = :taken_at
