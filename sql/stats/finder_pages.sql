-- Article Finder (bot/article_finder.py): size and latest revision of these articles ((namespace, title) pairs,
-- titles with underscores and without prefix) of one wiki; redirects and missing pages give no row. page's
-- (page_namespace, page_title) unique index.
SELECT page_id, page_title, page_len, page_latest
FROM page
WHERE (page_namespace, page_title) IN %(pages)s
  AND page_is_redirect = 0
