-- One snapshot's articles' values (wiki|namespace|title) in value order, all or only those created
-- (:created_only = 1): the articles tab sorts them by title itself (without regard to case, as Python's
-- str.casefold, which neither engine has) and then reads the chosen page's rows (site_article_page.sql).
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT c.dimension_value
FROM snapshot_counts c
WHERE c.program_key = :program_key AND c.taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at) AND c.dimension = 'article'
  AND (:created_only = 0 OR c.articles_created > 0)
ORDER BY c.dimension_value
