SELECT beat_at, state FROM job_heartbeat WHERE job = :job
