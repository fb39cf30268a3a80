-- Which of these pages are directly in which of these (deletion) categories. Link tables only (on Commons they
-- live apart, T398709): the caller knows the pages' titles from pages_by_id.sql / pages_by_title.sql.
SELECT cl_from, lt_title
FROM categorylinks
STRAIGHT_JOIN linktarget ON lt_id = cl_target_id
WHERE cl_from IN %(page_ids)s
  AND lt_namespace = 14
  AND lt_title IN %(categories)s
