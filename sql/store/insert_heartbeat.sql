INSERT INTO job_heartbeat (job, beat_at, state) VALUES (:job, :beat_at, :state)
