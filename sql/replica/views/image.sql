-- requires: image
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`image` AS
SELECT img_name, img_size, img_width, img_height, img_metadata, img_bits,
       img_media_type, img_major_mime, img_minor_mime,
       COALESCE(img_description_id, 0) AS img_description_id,
       img_actor, img_timestamp, img_sha1
  FROM `{wiki}`.`image`;
