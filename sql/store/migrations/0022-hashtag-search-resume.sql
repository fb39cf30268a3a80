-- A hashtag campaign's kept search (bot/hashtags.py) now records where the next search starts, not where the last
-- one ended: after a search that reached the update's time that is its end less the replication lag; after one the
-- scan limit stopped, the last revision it read (rewinding there by the lag, as before, could keep a busy wiki's
-- search from ever moving on). The kept searches are dropped: each starts over once, reading its window again.
DELETE FROM hashtag_search;
ALTER TABLE hashtag_search RENAME COLUMN searched_until TO resume_from
