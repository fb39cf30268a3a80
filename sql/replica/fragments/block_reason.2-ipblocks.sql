-- requires: ipblocks
EXISTS (SELECT 1 FROM `{wiki}`.`ipblocks` WHERE ipb_reason_id = comment_id AND ipb_deleted = 0)
