-- requires: actor logging
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`actor_logging` AS
SELECT actor_id, actor_user, actor_name
  FROM `{wiki}`.`actor`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`logging` WHERE log_actor = actor_id AND log_deleted & 4 = 0
                  AND log_type IN ({{allowed_logtypes}}));
