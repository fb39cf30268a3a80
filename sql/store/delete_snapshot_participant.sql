DELETE FROM snapshot_participant WHERE program_key = :program_key AND taken_at = :taken_at
