-- requires: block
-- MW >= 1.42, as production since Apr 2024 (maintain-views.yaml `block`): suppressed blocks left out.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`block` AS
SELECT bl_id, bl_target, bl_by_actor, bl_reason_id, bl_timestamp, bl_anon_only, bl_create_account,
       bl_enable_autoblock, bl_expiry, bl_deleted, bl_block_email, bl_allow_usertalk, bl_parent_block_id, bl_sitewide
  FROM `{wiki}`.`block`
 WHERE bl_deleted = 0;
