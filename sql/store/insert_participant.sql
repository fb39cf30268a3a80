INSERT INTO program_participant (program_key, username, status, added_by, revision, signed_up_at)
VALUES (:program_key, :username, :status, :added_by, :revision, :signed_up_at)
