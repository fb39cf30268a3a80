INSERT INTO snapshot (program_key, taken_at, backend, participants, new_editors, retention, words_added,
                      references_added, references_removed, page_views, wikidata, alerts, rows_at, digest)
VALUES (:program_key, :taken_at, :backend, :participants, :new_editors, :retention, :words_added,
        :references_added, :references_removed, :page_views, :wikidata, :alerts, :taken_at, :digest)
