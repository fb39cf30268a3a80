-- requires: categorylinks.cl_to linktarget
-- MW 1.39-1.44: categorylinks names its category (cl_to). Production's replicas have cl_target_id
-- (-> linktarget) instead, so expose it by looking the category up in linktarget on (14, cl_to);
-- the triggers in triggers/ keep a linktarget row for every category in use. cl_to and cl_collation
-- are kept after the production columns so that code written for either shape works.
-- LEFT JOIN: a row missing from linktarget shows cl_target_id NULL instead of disappearing.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`categorylinks` AS
SELECT cl.cl_from,
       lt.lt_id AS cl_target_id,
       cl.cl_sortkey,
       cl.cl_sortkey_prefix,
       cl.cl_timestamp,
       cl.cl_type,
       cl.cl_to,
       cl.cl_collation
  FROM `{wiki}`.`categorylinks` cl
  LEFT JOIN `{wiki}`.`linktarget` lt ON lt.lt_namespace = 14 AND lt.lt_title = cl.cl_to;
