-- The tool's own state: program definitions the bot last understood, their status, and every snapshot of their
-- numbers (kept with history, for charts and "since last update"). Portable between SQLite (default, local) and
-- MariaDB (ToolsDB): no engine-specific types, no auto-increment, timestamps as ISO 8601 UTC strings.
CREATE TABLE program (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  page_id INTEGER NOT NULL,
  title VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  start_date CHAR(10) NOT NULL,
  end_date CHAR(10) NOT NULL,
  tracked_wikis VARCHAR(1000) NOT NULL,
  namespaces VARCHAR(255) NOT NULL
);

CREATE TABLE program_status (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  checked_at CHAR(20) NOT NULL,
  ok INTEGER NOT NULL,
  messages TEXT NOT NULL,
  edit_outcome VARCHAR(255) NOT NULL
);

CREATE TABLE snapshot (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  participants INTEGER NOT NULL,
  edits INTEGER NOT NULL,
  articles_edited INTEGER NOT NULL,
  PRIMARY KEY (program_key, taken_at)
);

CREATE TABLE snapshot_wiki (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  edits INTEGER NOT NULL,
  articles_edited INTEGER NOT NULL,
  PRIMARY KEY (program_key, taken_at, wiki)
);

CREATE TABLE snapshot_participant (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  username VARCHAR(255) NOT NULL,
  edits INTEGER NOT NULL,
  articles_edited INTEGER NOT NULL,
  PRIMARY KEY (program_key, taken_at, wiki, username)
);
