-- requires: block
comment_id IN (SELECT bl_reason_id FROM `{wiki}`.`block` WHERE bl_deleted = 0)
