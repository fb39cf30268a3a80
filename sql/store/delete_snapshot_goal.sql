DELETE FROM snapshot_goal WHERE program_key = :program_key AND taken_at = :taken_at
