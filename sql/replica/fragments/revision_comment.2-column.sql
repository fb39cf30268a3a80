EXISTS (SELECT 1 FROM `{wiki}`.`revision` WHERE rev_comment_id = comment_id AND rev_deleted & 2 = 0)
