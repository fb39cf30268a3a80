-- Issue 13: sized for big programs on MariaDB (ToolsDB), where TEXT holds 64 KB and VARCHAR(255) cuts a long
-- namespace list: the trust state of 10,000 sign-ups, every namespace of several wikis, long names and messages.
-- Each table is rebuilt (create, copy, drop, rename): the one way to change a column that SQLite shares.
CREATE TABLE program_trust_v5 (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  last_revid BIGINT NOT NULL,
  state LONGTEXT NOT NULL
);
INSERT INTO program_trust_v5 (program_key, last_revid, state) SELECT program_key, last_revid, state FROM program_trust;
DROP TABLE program_trust;
ALTER TABLE program_trust_v5 RENAME TO program_trust;

CREATE TABLE program_v5 (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  page_id INTEGER NOT NULL,
  title VARCHAR(255) NOT NULL,
  name TEXT NOT NULL,
  start_date CHAR(10) NOT NULL,
  end_date CHAR(10) NOT NULL,
  tracked_wikis TEXT NOT NULL,
  namespaces TEXT NOT NULL,
  campaigns TEXT NOT NULL,
  private INTEGER NOT NULL DEFAULT 0,
  program_type VARCHAR(32) NOT NULL DEFAULT 'basic',
  timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
  window_start CHAR(20) NOT NULL DEFAULT '',
  window_end CHAR(20) NOT NULL DEFAULT ''
);
INSERT INTO program_v5 (program_key, wiki, page_id, title, name, start_date, end_date, tracked_wikis, namespaces,
                        campaigns, private, program_type, timezone, window_start, window_end)
SELECT program_key, wiki, page_id, title, name, start_date, end_date, tracked_wikis, namespaces, campaigns, private,
       program_type, timezone, window_start, window_end FROM program;
DROP TABLE program;
ALTER TABLE program_v5 RENAME TO program;

CREATE TABLE program_status_v5 (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  checked_at CHAR(20) NOT NULL,
  ok INTEGER NOT NULL,
  messages LONGTEXT NOT NULL,
  edit_outcome TEXT NOT NULL
);
INSERT INTO program_status_v5 (program_key, wiki, title, checked_at, ok, messages, edit_outcome)
SELECT program_key, wiki, title, checked_at, ok, messages, edit_outcome FROM program_status;
DROP TABLE program_status;
ALTER TABLE program_status_v5 RENAME TO program_status;

CREATE TABLE campaign_v5 (
  campaign_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  page_id INTEGER NOT NULL,
  title VARCHAR(255) NOT NULL,
  name TEXT NOT NULL,
  description MEDIUMTEXT NOT NULL,
  start_date CHAR(10) NOT NULL,
  end_date CHAR(10) NOT NULL,
  organizers TEXT NOT NULL,
  checked_at CHAR(20) NOT NULL,
  messages MEDIUMTEXT NOT NULL
);
INSERT INTO campaign_v5 (campaign_key, wiki, page_id, title, name, description, start_date, end_date, organizers,
                         checked_at, messages)
SELECT campaign_key, wiki, page_id, title, name, description, start_date, end_date, organizers, checked_at, messages
FROM campaign;
DROP TABLE campaign;
ALTER TABLE campaign_v5 RENAME TO campaign;

CREATE TABLE snapshot_v5 (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  backend VARCHAR(16) NOT NULL,
  participants INTEGER NOT NULL,
  new_editors INTEGER NOT NULL,
  retention TEXT NOT NULL,
  words_added INTEGER,
  references_added INTEGER,
  references_removed INTEGER,
  page_views BIGINT,
  wikidata TEXT,
  alerts MEDIUMTEXT NOT NULL,
  PRIMARY KEY (program_key, taken_at)
);
INSERT INTO snapshot_v5 (program_key, taken_at, backend, participants, new_editors, retention, words_added,
                         references_added, references_removed, page_views, wikidata, alerts)
SELECT program_key, taken_at, backend, participants, new_editors, retention, words_added, references_added,
       references_removed, page_views, wikidata, alerts FROM snapshot;
DROP TABLE snapshot;
ALTER TABLE snapshot_v5 RENAME TO snapshot
