-- requires: comment revision
-- Join to it from revisions (comment_id = rev_comment_id). The test is an IN subquery (see comment.sql):
-- MariaDB materializes the set of visible revision comment ids once per query (one scan of
-- revision_comment_temp + revision on 1.39), then looks comments up in it.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`comment_revision` AS
SELECT comment_id, comment_hash, comment_text, comment_data
  FROM `{wiki}`.`comment`
 WHERE {{revision_comment}};
