-- requires: archive
-- As production: ar_text, ar_comment_id and ar_flags are always NULL; ar_actor is 0 when bit 4 is set.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`archive` AS
SELECT ar_id, ar_namespace, ar_title, NULL AS ar_text, NULL AS ar_comment_id,
       IF(ar_deleted & 4, 0, ar_actor) AS ar_actor,
       ar_timestamp, ar_minor_edit, NULL AS ar_flags, ar_rev_id, ar_deleted,
       IF(ar_deleted & 1, NULL, ar_len) AS ar_len,
       ar_page_id, ar_parent_id,
       IF(ar_deleted & 1, NULL, ar_sha1) AS ar_sha1
  FROM `{wiki}`.`archive`;
