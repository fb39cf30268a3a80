-- Who made an edit with one of these change tags in one slice of the window (issue 18, mode "anyone";
-- bot/hashtags.py): from the tag (change_tag_def, tiny) to its revisions (change_tag index ct_tag_id_id), then each
-- revision by primary key, its page (tracked namespaces) and its author (registered accounts only).
SELECT DISTINCT actor_name
FROM change_tag_def
JOIN change_tag ON ct_tag_id = ctd_id
STRAIGHT_JOIN revision ON rev_id = ct_rev_id
STRAIGHT_JOIN page ON page_id = rev_page
JOIN actor_revision ON actor_id = rev_actor
WHERE ctd_name IN %(tags)s
  AND ct_rev_id IS NOT NULL
  AND rev_timestamp >= %(start)s
  AND rev_timestamp < %(end)s
  AND page_namespace IN %(namespaces)s
  AND actor_user IS NOT NULL
