-- requires: logging
-- Raw action/namespace/title/page (index log_page_time, log_page_id_time) with rows of hidden targets
-- dropped (production since May 2024).
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`logging_logindex` AS
SELECT log_id, log_type, log_action, log_timestamp,
       IF(log_deleted & 4, 0, log_actor) AS log_actor,
       log_namespace, log_title,
       IF(log_deleted & 2, 0, log_comment_id) AS log_comment_id,
       IF(log_deleted, NULL, log_params) AS log_params,
       log_deleted,
       log_page
  FROM `{wiki}`.`logging`
 WHERE log_type IN ({{allowed_logtypes}}) AND (log_deleted & 1) = 0;
