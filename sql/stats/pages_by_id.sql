-- Deletion discussions (bot/alerts.py): the current namespace and title (underscores, no prefix) of these pages, by
-- page id, of one wiki; ids of no page give no row. page's primary key.
SELECT page_id, page_namespace, page_title
FROM page
WHERE page_id IN %(page_ids)s
