-- A ledger update's re-read of the archived revisions under these titles (those a deletion, move, merge or import
-- logged since the last read named: the archive keeps titles, not live page ids): the same columns and filters as
-- deleted_revisions.sql, by ar_name_title_timestamp, whoever the author (facts_replica.reread keeps the
-- participants' rows).
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
WHERE (a.ar_namespace, a.ar_title) IN %(titles)s
  AND a.ar_namespace IN %(namespaces)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
