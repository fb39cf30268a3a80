-- One snapshot's articles' values (wiki|namespace|title) in value order, all or only those created
-- (:created_only = 1): the articles tab sorts them by title itself (without regard to case, as Python's
-- str.casefold, which neither engine has) and then reads the chosen page's rows (site_article_page.sql).
SELECT c.dimension_value
FROM snapshot_counts c
WHERE c.program_key = :program_key AND c.taken_at = :taken_at AND c.dimension = 'article'
  AND (:created_only = 0 OR c.articles_created > 0)
ORDER BY c.dimension_value
