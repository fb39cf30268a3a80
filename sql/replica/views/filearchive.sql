-- requires: filearchive
-- fa_storage_key always NULL; file properties NULL for bit 1; description 0 for bit 2; actor NULL for bit 4.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`filearchive` AS
SELECT fa_id, fa_name, fa_archive_name, fa_storage_group, NULL AS fa_storage_key,
       fa_deleted_user, fa_deleted_timestamp, fa_deleted_reason_id,
       IF(fa_deleted & 1, NULL, fa_size) AS fa_size,
       IF(fa_deleted & 1, NULL, fa_width) AS fa_width,
       IF(fa_deleted & 1, NULL, fa_height) AS fa_height,
       IF(fa_deleted & 1, NULL, fa_metadata) AS fa_metadata,
       IF(fa_deleted & 1, NULL, fa_bits) AS fa_bits,
       IF(fa_deleted & 1, NULL, fa_media_type) AS fa_media_type,
       IF(fa_deleted & 1, NULL, fa_major_mime) AS fa_major_mime,
       IF(fa_deleted & 1, NULL, fa_minor_mime) AS fa_minor_mime,
       IF(fa_deleted & 2, 0, fa_description_id) AS fa_description_id,
       IF(fa_deleted & 4, NULL, fa_actor) AS fa_actor,
       fa_timestamp, fa_deleted,
       IF(fa_deleted & 1, NULL, fa_sha1) AS fa_sha1
  FROM `{wiki}`.`filearchive`;
