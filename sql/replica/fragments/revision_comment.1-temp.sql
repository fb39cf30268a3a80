-- requires: revision_comment_temp
-- "comment_id is used by a revision whose comment is visible", 1.39 edition: through the temp table,
-- or through rev_comment_id for rows written after a migration.
(EXISTS (SELECT 1 FROM `{wiki}`.`revision_comment_temp` JOIN `{wiki}`.`revision` ON rev_id = revcomment_rev
          WHERE revcomment_comment_id = comment_id AND rev_deleted & 2 = 0)
 OR EXISTS (SELECT 1 FROM `{wiki}`.`revision` WHERE rev_comment_id = comment_id AND rev_deleted & 2 = 0))
