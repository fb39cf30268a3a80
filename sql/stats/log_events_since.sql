-- Log events since the last ledger update (bot/ledger.py) that change facts of revisions already read, or bring in
-- revisions the ledger has never seen: deletions, undeletions and revision deletions (type delete), moves (a draft
-- moved into a tracked namespace), history merges and imports; with their ids, so that an update re-reads only for
-- the events the last one had not seen (each update looks REPLICATION_LAG back again). log_type_time (log_type,
-- log_timestamp) makes it a range per type; logging_logindex has the raw page id and title (rows with a hidden
-- target are not there).
SELECT log_id, log_page, log_namespace, log_title
FROM logging_logindex
WHERE log_type IN ('delete', 'move', 'merge', 'import')
  AND log_timestamp >= %(since)s
