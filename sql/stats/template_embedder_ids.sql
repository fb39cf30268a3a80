-- The ids of the pages that transclude these pages of one namespace (templates). Link tables only, as in
-- category_member_ids.sql: titles come from pages_by_id.sql on the wiki's own connection.
SELECT DISTINCT tl_from
FROM linktarget
STRAIGHT_JOIN templatelinks ON tl_target_id = lt_id
WHERE lt_namespace = %(namespace)s
  AND lt_title IN %(titles)s
