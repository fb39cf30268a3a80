-- requires: revision_comment_temp
-- MW 1.39 writes revision comments to revision_comment_temp only (rev_comment_id stays 0).
-- revcomment_rev is unique, so the optimizer drops this join when no comment column is used.
LEFT JOIN `{wiki}`.`revision_comment_temp` ON revcomment_rev = rev_id
