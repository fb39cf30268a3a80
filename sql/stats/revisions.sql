-- Revisions by these actors inside one slice of the window, on pages that exist now and are in the tracked
-- namespaces now (a draft moved to main counts in main). One statement for a whole batch of actors.
-- revision_userindex: raw rev_actor, so the range is on rev_actor_timestamp (rev_actor, rev_timestamp, rev_id);
-- rows whose author is hidden (rev_deleted & 4) are not there. STRAIGHT_JOIN pins the plan revisions -> page, never
-- a scan of page. The parent's length comes from `revision` (its author may be anyone, even hidden); a parent that
-- is not found (archived by a partial deletion or history merge) shows parent_found = 0.
@include stats/_live_revision_columns
FROM revision_userindex r
STRAIGHT_JOIN page ON page_id = r.rev_page
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE r.rev_actor IN %(actors)s
  AND r.rev_timestamp >= %(start)s
  AND r.rev_timestamp < %(end)s
  AND page_namespace IN %(namespaces)s
