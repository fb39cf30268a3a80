-- A second update within the same second replaces the first one's snapshot (all three tables).
DELETE FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at
