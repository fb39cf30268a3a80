-- Issue 4: every metric of metrics.md in each snapshot, with its breakdowns. Replaces the first snapshot tables
-- (they held edits and articles edited only). One row per snapshot in `snapshot`; one row of counts per
-- (dimension, value) in `snapshot_counts`: dimension 'total' (value ''), 'wiki', 'participant', 'day' (YYYY-MM-DD)
-- or 'article' (wiki + '|' + title); the counted uploads in `snapshot_upload`.
DROP TABLE snapshot_participant;
DROP TABLE snapshot_wiki;
DROP TABLE snapshot;

CREATE TABLE snapshot (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  backend VARCHAR(16) NOT NULL,
  participants INTEGER NOT NULL,
  new_editors INTEGER NOT NULL,
  retention TEXT NOT NULL,
  words_added INTEGER,
  references_added INTEGER,
  references_removed INTEGER,
  page_views INTEGER,
  wikidata TEXT,
  alerts TEXT NOT NULL,
  PRIMARY KEY (program_key, taken_at)
);

CREATE TABLE snapshot_counts (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  dimension VARCHAR(16) NOT NULL,
  dimension_value VARCHAR(400) NOT NULL,
  edits INTEGER NOT NULL,
  edits_deleted INTEGER NOT NULL,
  articles_edited INTEGER NOT NULL,
  articles_created INTEGER NOT NULL,
  articles_created_deleted INTEGER NOT NULL,
  bytes_added INTEGER NOT NULL,
  bytes_removed INTEGER NOT NULL,
  uploads INTEGER NOT NULL,
  uploads_in_use INTEGER NOT NULL,
  upload_usage INTEGER NOT NULL,
  page_views INTEGER,
  PRIMARY KEY (program_key, taken_at, dimension, dimension_value)
);

CREATE TABLE snapshot_upload (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  file VARCHAR(255) NOT NULL,
  username VARCHAR(255) NOT NULL,
  uploaded_at CHAR(20) NOT NULL,
  file_usage INTEGER NOT NULL,
  PRIMARY KEY (program_key, taken_at, wiki, file)
)
