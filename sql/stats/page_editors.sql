-- Invitation list (bot/invitations.py): each registered, visible editor of these pages in [since, until), with
-- their edits, distinct pages, bytes added (positive size changes: a creation adds its whole size, a change whose
-- parent's size is hidden adds nothing) and last edit. Revisions by page: rev_page_timestamp (rev_page,
-- rev_timestamp) bounds the read to the pages and the window, never an editor's whole history. revision_userindex
-- drops rows whose author is hidden; `user` (not hidden by a suppressing block) gives registered accounts only, so
-- logged-out edits and imported authors without an account are left out; user_is_temp marks temporary accounts.
SELECT actor_id,
       actor_name,
       user_id,
       user_is_temp,
       COUNT(*) AS edits,
       COUNT(DISTINCT r.rev_page) AS pages,
       SUM(CASE WHEN r.rev_parent_id = 0 THEN COALESCE(r.rev_len, 0)
                ELSE GREATEST(CAST(COALESCE(r.rev_len, 0) AS SIGNED)
                              - CAST(COALESCE(parent.rev_len, r.rev_len, 0) AS SIGNED), 0) END) AS bytes_added,
       MAX(r.rev_timestamp) AS last_edit
FROM revision_userindex r
STRAIGHT_JOIN actor_revision ON actor_id = r.rev_actor
STRAIGHT_JOIN user ON user_id = actor_user
LEFT JOIN revision parent ON parent.rev_id = r.rev_parent_id
WHERE r.rev_page IN %(page_ids)s
  AND r.rev_timestamp >= %(since)s
  AND r.rev_timestamp < %(until)s
GROUP BY actor_id, actor_name, user_id, user_is_temp
