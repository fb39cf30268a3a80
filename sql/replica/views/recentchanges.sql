-- requires: recentchanges.rc_new recentchanges.rc_type
-- rc_ip always NULL; actor 0 for bit 4, comment id 0 for bit 2. (MW 1.45/1.46 drop rc_new/rc_type;
-- this view is then skipped.)
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`recentchanges` AS
SELECT rc_id, rc_timestamp,
       IF(rc_deleted & 4, 0, rc_actor) AS rc_actor,
       rc_namespace, rc_title,
       IF(rc_deleted & 2, 0, rc_comment_id) AS rc_comment_id,
       rc_minor, rc_bot, rc_new, rc_cur_id, rc_this_oldid, rc_last_oldid, rc_type, rc_source, rc_patrolled,
       NULL AS rc_ip, rc_old_len, rc_new_len, rc_deleted, rc_logid, rc_log_type, rc_log_action, rc_params
  FROM `{wiki}`.`recentchanges`;
