-- requires: imagelinks.il_target_id
EXISTS (SELECT 1 FROM `{wiki}`.`imagelinks` WHERE il_target_id = lt_id)
