-- How many articles one snapshot has, all or only those created (:created_only = 1), and how many of them have page
-- views (none: the articles tab leaves the column out).
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT COUNT(*), COUNT(c.page_views)
FROM snapshot_counts c
WHERE c.program_key = :program_key AND c.taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at) AND c.dimension = 'article'
  AND (:created_only = 0 OR c.articles_created > 0)
