-- requires: actor revision
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`actor_revision` AS
SELECT actor_id, actor_user, actor_name
  FROM `{wiki}`.`actor`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`revision` WHERE rev_actor = actor_id AND rev_deleted & 4 = 0);
