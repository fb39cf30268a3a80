DELETE FROM job_heartbeat WHERE job = :job
