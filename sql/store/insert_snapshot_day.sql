INSERT INTO snapshot_day (program_key, taken_at, day, words_added, references_added, references_removed, page_views,
                          wikidata)
VALUES (:program_key, :taken_at, :day, :words_added, :references_added, :references_removed, :page_views, :wikidata)
