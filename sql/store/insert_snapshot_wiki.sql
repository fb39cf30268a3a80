INSERT INTO snapshot_wiki (program_key, taken_at, wiki, edits, articles_edited)
VALUES (:program_key, :taken_at, :wiki, :edits, :articles_edited)
