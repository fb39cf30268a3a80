-- A ledger update's re-read of these revisions where they are archived now (their page deleted since, or an
-- archived row re-read): the same columns and filters as deleted_revisions.sql, by ar_revid_uniq, whoever the
-- author (facts_replica.reread keeps the participants' rows).
@include stats/_archived_revisions
WHERE a.ar_rev_id IN %(revs)s
  AND a.ar_namespace IN %(namespaces)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
