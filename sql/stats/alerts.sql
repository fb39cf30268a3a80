-- Deletion alerts: which of these pages (by page id) are now in one of these categories (titles with underscores,
-- no prefix) of one wiki. One statement per wiki. categorylinks names its category through linktarget
-- (cl_target_id), as on production's replicas. STRAIGHT_JOIN keeps the plan page (primary key) -> its categories
-- (cl_from is the primary key's prefix) -> linktarget (primary key), never a scan of a large category.
SELECT page_namespace, page_title, lt_title
FROM page
STRAIGHT_JOIN categorylinks ON cl_from = page_id
STRAIGHT_JOIN linktarget ON lt_id = cl_target_id
WHERE page_id IN %(page_ids)s
  AND lt_namespace = 14
  AND lt_title IN %(categories)s
