-- Deletion alerts by title: which of these pages ((namespace, title) pairs, titles with underscores and without
-- prefix) are now in one of these categories of one wiki. As alerts.sql, starting from page's
-- (page_namespace, page_title) unique index.
SELECT page_namespace, page_title, lt_title
FROM page
STRAIGHT_JOIN categorylinks ON cl_from = page_id
STRAIGHT_JOIN linktarget ON lt_id = cl_target_id
WHERE (page_namespace, page_title) IN %(pages)s
  AND lt_namespace = 14
  AND lt_title IN %(categories)s
