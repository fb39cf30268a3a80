-- requires: pagelinks.pl_target_id !pagelinks.pl_title
EXISTS (SELECT 1 FROM `{wiki}`.`pagelinks` WHERE pl_target_id = lt_id)
