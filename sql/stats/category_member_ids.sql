-- The ids of the pages directly in these categories. Link tables only: on Commons they live on a cluster of their
-- own (T398709), so this runs on Replica.links() and the pages' titles come from pages_by_id.sql on the wiki's own
-- connection. linktarget (lt_namespace, lt_title) -> categorylinks (cl_target_id, cl_from).
SELECT DISTINCT cl_from
FROM linktarget
STRAIGHT_JOIN categorylinks ON cl_target_id = lt_id
WHERE lt_namespace = 14
  AND lt_title IN %(categories)s
