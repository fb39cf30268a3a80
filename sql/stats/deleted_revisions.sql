-- Revisions by these actors inside one slice of the window on pages deleted since: they live in the archive, under
-- the title and namespace the page had when it was deleted. archive_userindex has the raw ar_actor (index
-- ar_actor_timestamp) and drops rows whose author is hidden. The parent is usually archived with the page, but
-- may be a live revision (partial undeletion): its length from either. Same columns as revisions.sql (page_id 0).
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
WHERE a.ar_actor IN %(actors)s
  AND a.ar_timestamp >= %(start)s
  AND a.ar_timestamp < %(end)s
  AND a.ar_namespace IN %(namespaces)s
