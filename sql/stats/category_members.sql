-- Pages that are members of these categories now (one level; subcategories are the rows in namespace 14).
-- categorylinks names its category by cl_target_id -> linktarget on production replicas (cl_to is gone), so the
-- category is looked up in linktarget (lt_namespace, lt_title) and its members through cl_target_id.
SELECT page_namespace,
       page_title
FROM linktarget
STRAIGHT_JOIN categorylinks ON cl_target_id = lt_id
STRAIGHT_JOIN page ON page_id = cl_from
WHERE lt_namespace = 14
  AND lt_title IN %(categories)s
