-- requires: actor user
-- Registered users that aren't hidden.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`actor_user` AS
SELECT actor_id, actor_user, actor_name
  FROM `{wiki}`.`actor`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`user` WHERE user_id = actor_user)
       AND {{user_not_hidden:actor_user}};
