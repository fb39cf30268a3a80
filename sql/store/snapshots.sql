-- A program's snapshot history, oldest first (charts, "since last update").
SELECT taken_at, backend, participants, new_editors, retention, words_added, references_added, references_removed,
       page_views, wikidata, alerts
FROM snapshot
WHERE program_key = :program_key
ORDER BY taken_at
