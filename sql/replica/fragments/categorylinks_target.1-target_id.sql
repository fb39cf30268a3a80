-- requires: categorylinks.cl_target_id !categorylinks.cl_to
EXISTS (SELECT 1 FROM `{wiki}`.`categorylinks` WHERE cl_target_id = lt_id)
