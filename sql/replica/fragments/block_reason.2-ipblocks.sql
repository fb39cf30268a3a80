-- requires: ipblocks
comment_id IN (SELECT ipb_reason_id FROM `{wiki}`.`ipblocks` WHERE ipb_deleted = 0)
