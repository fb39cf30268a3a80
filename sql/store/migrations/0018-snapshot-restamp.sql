-- Issue 16: an update whose numbers equal the last snapshot's stores no new breakdowns (bot/store.py
-- record_snapshot). A snapshot row says under which instant its rows in snapshot_counts, snapshot_upload,
-- snapshot_day and snapshot_goal are stored (rows_at: its own taken_at, or that of an earlier snapshot with the same
-- numbers), and carries a digest of everything it states but the time, to tell "unchanged" without reading the rows
-- back. An unchanged update moves the last snapshot's taken_at to its own time when that one already shares earlier
-- rows and falls on the same UTC day, or adds one such row: a run of unchanged updates keeps its first and its last
-- time (and one per UTC day), so the site's "last update" and the charts' history stay true.
ALTER TABLE snapshot ADD COLUMN rows_at CHAR(20) NOT NULL DEFAULT '';
UPDATE snapshot SET rows_at = taken_at;
ALTER TABLE snapshot ADD COLUMN digest CHAR(64) NOT NULL DEFAULT '';
-- record_program writes the definition and the sign-ups only when they changed (digests of what it last wrote).
ALTER TABLE program ADD COLUMN digest CHAR(64) NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN participants_digest CHAR(64) NOT NULL DEFAULT ''
