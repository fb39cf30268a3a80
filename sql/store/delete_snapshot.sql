-- A second update within the same second replaces the first one's snapshot (all its tables).
DELETE FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at
