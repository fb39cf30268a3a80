-- Issue 15: like revision_content, the Wikidata counts of a revision never change (its JSON and its parent's are
-- fixed); each revision's diff is read and counted once, then taken from here (a JSON object of WikidataCounts).
CREATE TABLE revision_wikidata (
  wiki VARCHAR(64) NOT NULL,
  rev_id BIGINT NOT NULL,
  counts TEXT NOT NULL,
  PRIMARY KEY (wiki, rev_id)
)
