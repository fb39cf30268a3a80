-- requires: block
EXISTS (SELECT 1 FROM `{wiki}`.`block` WHERE bl_reason_id = comment_id AND bl_deleted = 0)
