-- Snapshots older than the cutoff are thinned to the last one of each UTC day (charts keep their history at daily
-- resolution; the store does not grow with every update forever).
DELETE FROM snapshot_upload_page
WHERE program_key = :program_key AND taken_at < :cutoff
  AND taken_at NOT IN (
    SELECT last_of_day FROM (
      SELECT MAX(taken_at) AS last_of_day FROM snapshot
      WHERE program_key = :program_key AND taken_at < :cutoff
      GROUP BY SUBSTR(taken_at, 1, 10)
    ) AS kept
  )
