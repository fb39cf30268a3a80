-- requires: block_target block
-- MW >= 1.42, as production (maintain-views.yaml `block_target`): autoblocks' addresses hidden, targets of
-- suppressed blocks left out.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`block_target` AS
SELECT bt_id, IF(bt_auto <> 0, NULL, bt_address) AS bt_address, bt_user, bt_user_text, bt_auto, bt_range_start,
       bt_range_end, IF(bt_auto <> 0, NULL, bt_ip_hex) AS bt_ip_hex, bt_count
  FROM `{wiki}`.`block_target`
 WHERE (SELECT 1 FROM `{wiki}`.`block` WHERE bl_target = bt_id AND bl_deleted = 1 LIMIT 1) IS NULL;
