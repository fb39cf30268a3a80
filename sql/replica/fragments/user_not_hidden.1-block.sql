-- requires: block block_target
-- MW >= 1.42 (block + block_target), as production since Apr 2024. {arg}: the user id column.
-- LIMIT 1: with multiblocks a user can have several suppressed blocks (production omits it).
(SELECT 1 FROM `{wiki}`.`block` JOIN `{wiki}`.`block_target` ON bt_id = bl_target
  WHERE bl_deleted = 1 AND bt_user = {arg} LIMIT 1) IS NULL
