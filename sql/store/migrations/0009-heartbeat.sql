-- Issue 16: the continuous job's heartbeat, for its Toolforge health check: written when a cycle starts, after each
-- program and when it ends. A job whose heartbeat is older than its limit is stuck, and Toolforge restarts it.
CREATE TABLE job_heartbeat (
  job VARCHAR(64) NOT NULL PRIMARY KEY,
  beat_at CHAR(20) NOT NULL,
  state VARCHAR(255) NOT NULL
)
