-- Issues 13 and 14: every attempt of the publisher, with its named outcome, for the site's /edits and for the
-- bounds (a notice its user removed is not added again). Appended; a "no change" repeated for the same target is
-- not appended again.
CREATE TABLE edit_log (
  wiki VARCHAR(64) NOT NULL,
  page VARCHAR(255) NOT NULL,
  program_key VARCHAR(255) NOT NULL,
  kind VARCHAR(32) NOT NULL,
  outcome VARCHAR(32) NOT NULL,
  revision BIGINT,
  detail TEXT NOT NULL,
  logged_at CHAR(20) NOT NULL,
  sequence BIGINT NOT NULL
);
CREATE INDEX edit_log_target ON edit_log (wiki, page, program_key, kind, sequence);
CREATE INDEX edit_log_program ON edit_log (program_key, sequence);
CREATE INDEX edit_log_sequence ON edit_log (sequence)
