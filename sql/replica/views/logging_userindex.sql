-- requires: logging
-- Raw log_actor (index log_actor_time) with rows of hidden users dropped.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`logging_userindex` AS
SELECT log_id, log_type,
       IF(log_deleted & 1, NULL, log_action) AS log_action,
       log_timestamp,
       log_actor,
       IF(log_deleted & 1, NULL, log_namespace) AS log_namespace,
       IF(log_deleted & 1, NULL, log_title) AS log_title,
       IF(log_deleted & 2, 0, log_comment_id) AS log_comment_id,
       IF(log_deleted, NULL, log_params) AS log_params,
       log_deleted,
       IF(log_deleted & 1, NULL, log_page) AS log_page
  FROM `{wiki}`.`logging`
 WHERE (log_deleted & 4) = 0 AND log_type IN ({{allowed_logtypes}});
