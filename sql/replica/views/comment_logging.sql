-- requires: comment logging
-- IN rather than production's EXISTS: see comment.sql.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`comment_logging` AS
SELECT comment_id, comment_hash, comment_text, comment_data
  FROM `{wiki}`.`comment`
 WHERE comment_id IN (SELECT log_comment_id FROM `{wiki}`.`logging`
                       WHERE log_deleted & 2 = 0 AND log_type IN ({{allowed_logtypes}}));
