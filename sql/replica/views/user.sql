-- requires: user
-- Secrets and private fields always NULL; users hidden by a suppressing block are left out.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`user` AS
SELECT user_id, user_name, user_real_name,
       NULL AS user_password, NULL AS user_newpassword, NULL AS user_email, NULL AS user_touched,
       NULL AS user_token, NULL AS user_email_authenticated, NULL AS user_email_token,
       NULL AS user_email_token_expires, user_registration, NULL AS user_newpass_time,
       user_editcount, NULL AS user_password_expires,
       {{user_is_temp}} AS user_is_temp
  FROM `{wiki}`.`user`
 WHERE {{user_not_hidden:user_id}};
