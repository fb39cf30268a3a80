-- Log events since the last ledger update that change facts of revisions already read, or bring in revisions the
-- ledger has never seen: deletions, undeletions and revision deletions (type delete), moves (a draft moved into a
-- tracked namespace), history merges and imports. log_type_time (log_type, log_timestamp) makes it a range per
-- type; logging_logindex has the raw page id and title (rows with a hidden target are not there).
SELECT log_page, log_namespace, log_title
FROM logging_logindex
WHERE log_type IN ('delete', 'move', 'merge', 'import')
  AND log_timestamp >= %(since)s
