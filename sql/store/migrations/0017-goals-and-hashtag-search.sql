-- Issue 18: event goals. With each snapshot, one row per goal of the program ({{Program}}'s goals=, bot/goals.py):
-- the metric, the goal as written (per participant or over the program), the target the program's total must reach
-- (the goal, or the goal times the confirmed participants), the total then (NULL: the program has no such number),
-- and the first local day the cumulative per-day figure reached the target (NULL: not reached, no per-day figures,
-- or a private program that publishes none). Written, replaced and pruned with the snapshot.
CREATE TABLE snapshot_goal (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  goal_index INTEGER NOT NULL,
  metric VARCHAR(64) NOT NULL,
  per_participant INTEGER NOT NULL,
  goal BIGINT NOT NULL,
  target BIGINT NOT NULL,
  program_total BIGINT,
  reached_on CHAR(10),
  PRIMARY KEY (program_key, taken_at, goal_index)
)
;
-- Issue 18: a hashtag campaign (hashtag_mode=anyone) finds who used its hashtags or tags by reading the window's
-- revisions (bot/hashtags.py). Like the ledger, each update reads only from where the last one stopped
-- (searched_until, less the replication lag): the users found so far are kept here (a JSON list), per program and
-- wiki, for the search described by the fingerprint (hashtags, tags, window, namespaces); another one starts over.
CREATE TABLE hashtag_search (
  program_key VARCHAR(255) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  fingerprint CHAR(64) NOT NULL,
  searched_until CHAR(20) NOT NULL,
  authors LONGTEXT NOT NULL,
  PRIMARY KEY (program_key, wiki)
)
