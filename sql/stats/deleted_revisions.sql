-- Revisions by these actors inside one slice of the window on pages deleted since: they live in the archive, under
-- the title and namespace the page had when it was deleted. archive_userindex has the raw ar_actor (index
-- ar_actor_timestamp) and drops rows whose author is hidden. The parent is usually archived with the page, but
-- may be a live revision (partial undeletion): its length from either. Same columns as revisions.sql (page_id 0).
@include stats/_archived_revisions
WHERE a.ar_actor IN %(actors)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
  AND a.ar_namespace IN %(namespaces)s
