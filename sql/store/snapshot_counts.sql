-- One snapshot's rows of counts for one dimension (total, wiki, participant, day, article), in value order; they are
-- stored under the snapshot's rows_at (an unchanged snapshot shares an earlier one's rows).
SELECT dimension_value, edits, edits_deleted, articles_edited, articles_created, articles_created_deleted,
       bytes_added, bytes_removed, uploads, uploads_in_use, upload_usage, page_views
FROM snapshot_counts
WHERE program_key = :program_key AND dimension = :dimension
  AND taken_at = (SELECT rows_at FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at)
ORDER BY dimension_value
