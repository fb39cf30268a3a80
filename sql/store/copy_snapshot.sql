-- The same numbers again: a snapshot row at the new time that shares the last one's breakdowns (rows_at).
INSERT INTO snapshot (program_key, taken_at, backend, participants, new_editors, retention, words_added,
                      references_added, references_removed, page_views, wikidata, alerts, rows_at, digest)
SELECT program_key, :taken_at, backend, participants, new_editors, retention, words_added, references_added,
       references_removed, page_views, wikidata, alerts, rows_at, digest
FROM snapshot
WHERE program_key = :program_key AND taken_at = :last_taken_at
