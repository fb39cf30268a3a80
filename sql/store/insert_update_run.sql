INSERT INTO update_run (program_key, owner, started_at, finished_at, ok)
VALUES (:program_key, :owner, :started_at, :finished_at, :ok)
