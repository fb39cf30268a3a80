INSERT INTO snapshot (program_key, taken_at, participants, edits, articles_edited)
VALUES (:program_key, :taken_at, :participants, :edits, :articles_edited)
