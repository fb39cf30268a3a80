-- Per-day figures for every metric: with each snapshot, one row per day of the metrics that are not counts (the
-- counts of a day are its 'day' rows in `snapshot_counts`): words and references added and removed, and the Wikidata
-- counts (JSON of WikidataCounts), of the program's local day; page views of the UTC day of the same date (the
-- Pageviews API's days). NULL where the program has no such metric. Written, replaced and pruned with the snapshot.
CREATE TABLE snapshot_day (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  day CHAR(10) NOT NULL,
  words_added INTEGER,
  references_added INTEGER,
  references_removed INTEGER,
  page_views BIGINT,
  wikidata TEXT,
  PRIMARY KEY (program_key, taken_at, day)
)
