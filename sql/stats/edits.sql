-- Edits and distinct articles edited, per participant, inside the tracking window, on the tracked namespaces of
-- one wiki. One statement for all participants (never one per user). The ROLLUP row, whose actor_name is NULL,
-- holds the wiki's totals: its COUNT(DISTINCT) counts an article edited by two participants once.
-- revision_userindex drops revisions whose author is hidden (rev_deleted & 4); pages that no longer exist have no
-- revisions here. STRAIGHT_JOIN keeps the plan actor -> (rev_actor, rev_timestamp) -> page, never a page scan.
SELECT
  actor_name,
  COUNT(*) AS edits,
  COUNT(DISTINCT rev_page) AS articles_edited
FROM actor_revision
STRAIGHT_JOIN revision_userindex ON rev_actor = actor_id
STRAIGHT_JOIN page ON page_id = rev_page
WHERE actor_name IN %(usernames)s
  AND rev_timestamp >= %(window_start)s
  AND rev_timestamp < %(window_end)s
  AND page_namespace IN %(namespaces)s
GROUP BY actor_name WITH ROLLUP
