-- requires: revision_comment_temp
-- Prefer the column when a (migrated) row has it, else the temp table's id.
COALESCE(NULLIF(rev_comment_id, 0), revcomment_comment_id)
