-- Rows older than the cutoff that no snapshot refers to any more (run after prune_snapshot, which decides which
-- snapshots are kept; a kept snapshot may share an earlier one's rows through rows_at).
DELETE FROM snapshot_upload_page
WHERE program_key = :program_key AND taken_at < :cutoff
  AND taken_at NOT IN (SELECT rows_at FROM snapshot WHERE program_key = :program_key)
