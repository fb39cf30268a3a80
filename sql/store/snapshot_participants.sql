-- One snapshot's per-participant numbers, summed over the tracked wikis.
SELECT username, SUM(edits), SUM(articles_edited)
FROM snapshot_participant
WHERE program_key = :program_key AND taken_at = :taken_at
GROUP BY username
ORDER BY username
