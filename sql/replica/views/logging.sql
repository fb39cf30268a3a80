-- requires: logging
-- Target (action, namespace, title, page) NULL when bit 1 is set, comment id 0 for bit 2, actor 0 for
-- bit 4, params NULL when any bit is set; only the allowed log types.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`logging` AS
SELECT log_id, log_type,
       IF(log_deleted & 1, NULL, log_action) AS log_action,
       log_timestamp,
       IF(log_deleted & 4, 0, log_actor) AS log_actor,
       IF(log_deleted & 1, NULL, log_namespace) AS log_namespace,
       IF(log_deleted & 1, NULL, log_title) AS log_title,
       IF(log_deleted & 2, 0, log_comment_id) AS log_comment_id,
       IF(log_deleted, NULL, log_params) AS log_params,
       log_deleted,
       IF(log_deleted & 1, NULL, log_page) AS log_page
  FROM `{wiki}`.`logging`
 WHERE log_type IN ({{allowed_logtypes}});
