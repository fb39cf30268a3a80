-- Pages that transclude these pages now, directly or through other templates (templatelinks records both), of
-- one namespace (usually Template): linktarget (lt_namespace, lt_title) -> templatelinks.tl_target_id -> page.
SELECT page_namespace,
       page_title
FROM linktarget
STRAIGHT_JOIN templatelinks ON tl_target_id = lt_id
STRAIGHT_JOIN page ON page_id = tl_from
WHERE lt_namespace = %(namespace)s
  AND lt_title IN %(titles)s
