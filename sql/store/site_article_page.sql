-- One page of one snapshot's articles (existing pages edited, sql/store/snapshot_counts.sql's 'article' rows), so
-- that the site builds only the rows it shows: every one or only those created (:created_only = 1), and of those
-- every one (:every = 1) or the rows of a page already chosen (:values). {order} is filled in by Store.article_page
-- from a fixed list, never from input: the sort column's expression and direction and a comma, or nothing. Equal
-- keys keep the value order.
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT c.dimension_value, c.edits, c.edits_deleted, c.articles_edited, c.articles_created,
       c.articles_created_deleted, c.bytes_added, c.bytes_removed, c.uploads, c.uploads_in_use, c.upload_usage,
       c.page_views
FROM snapshot_counts c
WHERE c.program_key = :program_key AND c.taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at) AND c.dimension = 'article'
  AND (:created_only = 0 OR c.articles_created > 0) AND (:every = 1 OR c.dimension_value IN :values)
ORDER BY {order} c.dimension_value
LIMIT :max_rows OFFSET :skip
