-- requires: ipblocks
-- MW 1.39: the pre-2024 production form.
(SELECT 1 FROM `{wiki}`.`ipblocks`
  WHERE ipb_auto = 0 AND ipb_deleted = 1 AND ipb_user = {arg} LIMIT 1) IS NULL
