-- A ledger update's re-read of these revisions where they are archived now (their page deleted since, or an
-- archived row re-read): the same columns and filters as deleted_revisions.sql, by ar_revid_uniq, whoever the
-- author (facts_replica.reread keeps the participants' rows).
SELECT a.ar_rev_id,
       a.ar_actor,
       0 AS page_id,
       a.ar_namespace,
       a.ar_title,
       a.ar_timestamp,
       a.ar_len,
       a.ar_parent_id,
       (parent_ar.ar_rev_id IS NOT NULL OR parent_rev.rev_id IS NOT NULL) AS parent_found,
       COALESCE(parent_ar.ar_len, parent_rev.rev_len) AS parent_len
FROM archive_userindex a
LEFT JOIN archive parent_ar ON parent_ar.ar_rev_id = a.ar_parent_id
LEFT JOIN revision parent_rev ON parent_rev.rev_id = a.ar_parent_id
WHERE a.ar_rev_id IN %(revs)s
  AND a.ar_namespace IN %(namespaces)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
