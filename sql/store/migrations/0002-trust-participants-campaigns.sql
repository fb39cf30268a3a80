-- Issue 3: what the bot remembers of each program page's history (the trust fold's state, as JSON), every
-- sign-up with its status, campaign pages, and the program fields the site shows.
ALTER TABLE program ADD COLUMN campaigns VARCHAR(1000) NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
ALTER TABLE program ADD COLUMN program_type VARCHAR(32) NOT NULL DEFAULT 'basic';
ALTER TABLE program ADD COLUMN timezone VARCHAR(64) NOT NULL DEFAULT 'UTC';
ALTER TABLE program ADD COLUMN window_start CHAR(20) NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN window_end CHAR(20) NOT NULL DEFAULT '';

CREATE TABLE program_trust (
  program_key VARCHAR(255) NOT NULL PRIMARY KEY,
  last_revid INTEGER NOT NULL,
  state TEXT NOT NULL
);

CREATE TABLE program_participant (
  program_key VARCHAR(255) NOT NULL,
  username VARCHAR(255) NOT NULL,
  status VARCHAR(32) NOT NULL,
  added_by VARCHAR(255) NOT NULL,
  revision INTEGER NOT NULL,
  signed_up_at CHAR(20) NOT NULL,
  PRIMARY KEY (program_key, username)
);

CREATE TABLE campaign (
  campaign_key VARCHAR(255) NOT NULL PRIMARY KEY,
  wiki VARCHAR(64) NOT NULL,
  page_id INTEGER NOT NULL,
  title VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT NOT NULL,
  start_date CHAR(10) NOT NULL,
  end_date CHAR(10) NOT NULL,
  organizers VARCHAR(1000) NOT NULL,
  checked_at CHAR(20) NOT NULL,
  messages TEXT NOT NULL
)
