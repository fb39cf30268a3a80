-- Included (@include) by deleted_revisions.sql, deleted_revisions_by_id.sql and deleted_revisions_by_title.sql: an
-- archived revision's facts, in revisions.sql's columns (page_id 0), its parent's length from the archive or, after
-- a partial undeletion, from the live revisions.
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
