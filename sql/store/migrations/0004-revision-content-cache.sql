-- Words and references of a revision never change (its text and its parent are fixed), and reading texts is the
-- expensive part of an update: each revision is read and counted once, then taken from here.
CREATE TABLE revision_content (
  wiki VARCHAR(64) NOT NULL,
  rev_id BIGINT NOT NULL,
  words_added INTEGER NOT NULL,
  references_added INTEGER NOT NULL,
  references_removed INTEGER NOT NULL,
  PRIMARY KEY (wiki, rev_id)
)
