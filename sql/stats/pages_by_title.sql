-- Deletion discussions (bot/alerts.py): which of these pages ((namespace, title) pairs, titles with underscores and
-- without prefix) exist now on one wiki: the edited articles given by title, and the discussion pages named after
-- them (<prefix's namespace>, <prefix's text part><article's full title>). page's (page_namespace, page_title)
-- unique index.
SELECT page_id, page_namespace, page_title
FROM page
WHERE (page_namespace, page_title) IN %(pages)s
