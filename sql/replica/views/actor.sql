-- requires: actor user archive image oldimage filearchive recentchanges logging revision
-- An actor is shown if it is a registered user who isn't hidden (suppressed by a block), or if it has
-- at least one visible use anywhere (production's WHERE clause; AND binds tighter than OR).
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`actor` AS
SELECT actor_id, actor_user, actor_name
  FROM `{wiki}`.`actor`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`user` WHERE user_id = actor_user)
       AND {{user_not_hidden:actor_user}}
    OR EXISTS (SELECT 1 FROM `{wiki}`.`archive` WHERE ar_actor = actor_id AND ar_deleted & 4 = 0)
    OR {{block_by_actor}}
    OR EXISTS (SELECT 1 FROM `{wiki}`.`image` WHERE img_actor = actor_id)
    OR EXISTS (SELECT 1 FROM `{wiki}`.`oldimage` WHERE oi_actor = actor_id AND oi_deleted & 4 = 0)
    OR EXISTS (SELECT 1 FROM `{wiki}`.`filearchive` WHERE fa_actor = actor_id AND fa_deleted & 4 = 0)
    OR EXISTS (SELECT 1 FROM `{wiki}`.`recentchanges` WHERE rc_actor = actor_id AND rc_deleted & 4 = 0)
    OR EXISTS (SELECT 1 FROM `{wiki}`.`logging` WHERE log_actor = actor_id AND log_deleted & 4 = 0
                  AND log_type IN ({{allowed_logtypes}}))
    OR EXISTS (SELECT 1 FROM `{wiki}`.`revision` WHERE rev_actor = actor_id AND rev_deleted & 4 = 0);
