-- requires: revision
-- As production: comment hidden by bit 2, user by bit 4 (NULL), content-derived columns by bit 1.
-- rev_comment_id comes from revision_comment_temp on 1.39 (see fragments/rev_comment_*.sql).
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`revision` AS
SELECT rev_id,
       rev_page,
       IF(rev_deleted & 2, NULL, {{rev_comment_id}}) AS rev_comment_id,
       IF(rev_deleted & 4, NULL, rev_actor) AS rev_actor,
       rev_timestamp,
       rev_minor_edit,
       rev_deleted,
       IF(rev_deleted & 1, NULL, rev_len) AS rev_len,
       rev_parent_id,
       IF(rev_deleted & 1, NULL, rev_sha1) AS rev_sha1
  FROM `{wiki}`.`revision`
  {{rev_comment_join}};
