-- requires: block
EXISTS (SELECT 1 FROM `{wiki}`.`block` WHERE bl_by_actor = actor_id AND bl_deleted = 0)
