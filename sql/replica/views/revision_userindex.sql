-- requires: revision
-- As `revision`, but rev_actor is the raw column (usable with rev_actor_timestamp) and rows whose user
-- is hidden are dropped instead of masked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`revision_userindex` AS
SELECT rev_id,
       rev_page,
       IF(rev_deleted & 2, NULL, {{rev_comment_id}}) AS rev_comment_id,
       rev_actor,
       rev_timestamp,
       rev_minor_edit,
       rev_deleted,
       IF(rev_deleted & 1, NULL, rev_len) AS rev_len,
       rev_parent_id,
       IF(rev_deleted & 1, NULL, rev_sha1) AS rev_sha1
  FROM `{wiki}`.`revision`
  {{rev_comment_join}}
 WHERE (rev_deleted & 4) = 0;
