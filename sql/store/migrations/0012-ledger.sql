-- Issue 15: the ledger. Each program keeps the facts of its participants' revisions per tracked wiki between
-- updates (bot/ledger.py), so an update reads from the replicas only what changed since the last one.
-- ledger_revision holds one row per counted-or-countable revision (in the window, in the tracked namespaces, by a
-- participant; scope is applied when counting, since it changes on its own, and `counted` says what the last count
-- took: a campaign counts the distinct revisions its programs counted); ledger_state says what the rows describe
-- (the request's fingerprint), up to when they were read and when they were last recounted in full.
CREATE TABLE ledger_revision (
  program_key VARCHAR(255) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  rev_id BIGINT NOT NULL,
  username VARCHAR(255) NOT NULL,
  page_id BIGINT NOT NULL,
  namespace INTEGER NOT NULL,
  title VARCHAR(255) NOT NULL,
  rev_timestamp BIGINT NOT NULL,
  size BIGINT NOT NULL,
  parent_size BIGINT NOT NULL,
  parent_id BIGINT NOT NULL,
  deleted INTEGER NOT NULL,
  counted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program_key, wiki, rev_id)
);

CREATE TABLE ledger_state (
  program_key VARCHAR(255) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  read_until BIGINT NOT NULL,
  recounted_at BIGINT NOT NULL,
  PRIMARY KEY (program_key, wiki)
)
