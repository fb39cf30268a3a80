comment_id IN (SELECT rev_comment_id FROM `{wiki}`.`revision` WHERE rev_deleted & 2 = 0)
