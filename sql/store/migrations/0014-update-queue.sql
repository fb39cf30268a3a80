-- Issue 16: the update queue. Every program the bot knows has a row saying when it is due (the schedule the site
-- shows), how urgent it is, and which worker holds it: workers take due rows with row locks (MariaDB: SELECT ... FOR
-- UPDATE SKIP LOCKED) and a lease, so any number of them never update one program at once, and a worker killed
-- mid-update leaves its program to be taken again once the lease has passed.
--   priority: 0 an organizer asked for a refresh, 1 the page changed, 2 its tier's schedule
--   again: asked for again (a refresh, a page change) while a worker held it: due at once when that run ends,
--     unless again_revid (the page revision that asked; 0 for a refresh) is one the run itself knew or made (the
--     bot's own save of the page, seen by another worker's planning before the save was logged)
--   refresh_at: the last accepted refresh request (refreshes of one program are rate-limited)
CREATE TABLE update_queue (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  page_id BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  priority INTEGER NOT NULL,
  again INTEGER NOT NULL DEFAULT 0,
  again_revid BIGINT NOT NULL DEFAULT 0,
  lease_owner VARCHAR(255),
  lease_until BIGINT NOT NULL DEFAULT 0,
  refresh_at BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX update_queue_due ON update_queue (priority, due_at);

-- Each run a worker made (the status page's recent work, the staleness benchmark, and the tests' proof that no two
-- runs of one program overlapped).
CREATE TABLE update_run (
  program_key VARCHAR(255) NOT NULL,
  owner VARCHAR(255) NOT NULL,
  started_at BIGINT NOT NULL,
  finished_at BIGINT NOT NULL,
  ok INTEGER NOT NULL
);

CREATE INDEX update_run_program ON update_run (program_key, started_at);

-- Refresh requests per client (a salted hash of the address, never the address), for the per-client rate limit.
CREATE TABLE refresh_request (
  client CHAR(64) NOT NULL,
  requested_at BIGINT NOT NULL
);

CREATE INDEX refresh_request_client ON refresh_request (client, requested_at)
