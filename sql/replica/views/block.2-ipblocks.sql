-- requires: ipblocks
-- MW 1.39 (ipblocks): production's `block` shape, so the bot's SQL is the same everywhere. Each ipblocks row is one
-- block with a target of its own (bl_target = ipb_id, the id of its row in the block_target view).
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`block` AS
SELECT ipb_id AS bl_id, ipb_id AS bl_target, ipb_by_actor AS bl_by_actor, ipb_reason_id AS bl_reason_id,
       ipb_timestamp AS bl_timestamp, ipb_anon_only AS bl_anon_only, ipb_create_account AS bl_create_account,
       ipb_enable_autoblock AS bl_enable_autoblock, ipb_expiry AS bl_expiry, ipb_deleted AS bl_deleted,
       ipb_block_email AS bl_block_email, ipb_allow_usertalk AS bl_allow_usertalk,
       ipb_parent_block_id AS bl_parent_block_id, ipb_sitewide AS bl_sitewide
  FROM `{wiki}`.`ipblocks`
 WHERE ipb_deleted = 0;
