-- requires: oldimage
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`oldimage` AS
SELECT oi_name, oi_archive_name, oi_size, oi_width, oi_height, oi_bits,
       IF(oi_deleted & 2, 0, oi_description_id) AS oi_description_id,
       IF(oi_deleted & 4, NULL, oi_actor) AS oi_actor,
       oi_timestamp, oi_metadata, oi_media_type, oi_major_mime, oi_minor_mime, oi_deleted, oi_sha1
  FROM `{wiki}`.`oldimage`;
