-- requires: ipblocks
EXISTS (SELECT 1 FROM `{wiki}`.`ipblocks` WHERE ipb_by_actor = actor_id AND ipb_deleted = 0)
