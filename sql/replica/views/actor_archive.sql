-- requires: actor archive
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`actor_archive` AS
SELECT actor_id, actor_user, actor_name
  FROM `{wiki}`.`actor`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`archive` WHERE ar_actor = actor_id AND ar_deleted & 4 = 0);
