-- requires: revision_comment_temp
-- "comment_id is used by a revision whose comment is visible", MW <= 1.40 edition: revision comments
-- are recorded in revision_comment_temp (1.41's updater migrates them to rev_comment_id and drops the
-- table, so while it exists it is complete).
comment_id IN (SELECT revcomment_comment_id
                 FROM `{wiki}`.`revision_comment_temp` JOIN `{wiki}`.`revision` ON rev_id = revcomment_rev
                WHERE rev_deleted & 2 = 0)
