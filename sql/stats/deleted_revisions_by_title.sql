-- A ledger update's re-read of the archived revisions under these titles (those a deletion, move, merge or import
-- logged since the last read named: the archive keeps titles, not live page ids): the same columns and filters as
-- deleted_revisions.sql, by ar_name_title_timestamp, whoever the author (facts_replica.reread keeps the
-- participants' rows).
@include stats/_archived_revisions
WHERE (a.ar_namespace, a.ar_title) IN %(titles)s
  AND a.ar_namespace IN %(namespaces)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
