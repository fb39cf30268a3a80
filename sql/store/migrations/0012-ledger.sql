-- Issue 15: the ledger. Each program keeps the facts of its participants' revisions per tracked wiki between
-- updates (bot/ledger.py), so an update reads from the replicas only what changed since the last one.
-- ledger_revision: one row per revision of a participant in the window and the tracked namespaces (scope is
-- applied when counting: category members change on their own). `counted` and `day` say what the last count took
-- and on which local day, so that every number is a GROUP BY over these rows (sql/store/ledger_counts.sql);
-- page_key is the identity distinct-page counts use: "wiki|page id" for a live page, "wiki|namespace|title" for a
-- deleted one. ledger_state: what the rows answer (the request's fingerprint), up to when they were read, and when
-- they were last recounted in full.
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
  page_key VARCHAR(600) NOT NULL,
  counted INTEGER NOT NULL DEFAULT 0,
  day CHAR(10),
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
