-- How many articles one snapshot has, all or only those created (:created_only = 1), and how many of them have page
-- views (none: the articles tab leaves the column out).
SELECT COUNT(*), COUNT(c.page_views)
FROM snapshot_counts c
WHERE c.program_key = :program_key AND c.taken_at = :taken_at AND c.dimension = 'article'
  AND (:created_only = 0 OR c.articles_created > 0)
