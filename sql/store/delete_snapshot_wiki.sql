DELETE FROM snapshot_wiki WHERE program_key = :program_key AND taken_at = :taken_at
