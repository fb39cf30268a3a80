-- One snapshot's per-day figures (words, references, page views, Wikidata counts as JSON), in day order (stored
-- under the snapshot's rows_at).
SELECT day, words_added, references_added, references_removed, page_views, wikidata
FROM snapshot_day
WHERE program_key = :program_key
  AND taken_at = (SELECT rows_at FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at)
ORDER BY day
