-- A second update within the same second replaces the first one's snapshot (all its tables), and the snapshots that
-- shared its rows (rows_at) with it.
DELETE FROM snapshot WHERE program_key = :program_key AND (taken_at = :taken_at OR rows_at = :taken_at)
