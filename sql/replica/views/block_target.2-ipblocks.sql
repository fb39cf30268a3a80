-- requires: ipblocks
-- MW 1.39 (ipblocks): production's `block_target` shape, one target per ipblocks row (bt_id = ipb_id); a user
-- block's ipb_user becomes bt_user (0, an address block, becomes NULL), suppressed blocks left out.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`block_target` AS
SELECT ipb_id AS bt_id, IF(ipb_auto <> 0 OR ipb_user <> 0, NULL, ipb_address) AS bt_address,
       NULLIF(ipb_user, 0) AS bt_user, IF(ipb_user <> 0, ipb_address, NULL) AS bt_user_text, ipb_auto AS bt_auto,
       IF(ipb_auto <> 0, NULL, ipb_range_start) AS bt_range_start, ipb_range_end AS bt_range_end,
       NULL AS bt_ip_hex, 1 AS bt_count
  FROM `{wiki}`.`ipblocks`
 WHERE ipb_deleted = 0;
