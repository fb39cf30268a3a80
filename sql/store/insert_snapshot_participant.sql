INSERT INTO snapshot_participant (program_key, taken_at, wiki, username, edits, articles_edited)
VALUES (:program_key, :taken_at, :wiki, :username, :edits, :articles_edited)
