-- Included (@include) by revisions.sql, revisions_by_id.sql and revisions_by_page.sql: one live revision's facts,
-- with the length of its parent from `revision` (r: the revision, parent: its parent, page: its page now).
SELECT r.rev_id,
       r.rev_actor,
       page_id,
       page_namespace,
       page_title,
       r.rev_timestamp,
       r.rev_len,
       r.rev_parent_id,
       parent.rev_id IS NOT NULL AS parent_found,
       parent.rev_len AS parent_len
