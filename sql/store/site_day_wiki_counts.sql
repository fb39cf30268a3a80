-- Per local day and wiki, over the revisions these programs counted (each revision once): edits and bytes added on
-- existing pages, distinct existing pages edited, and words added where the words of the revision are known (content
-- wikis: revision_content); NULL words when none is. The same definitions as sql/store/ledger_counts.sql (an
-- existing page is (wiki, page_id); grouped by wiki, its page id alone).
SELECT r.day, r.wiki,
       SUM(1 - r.deleted),
       COUNT(DISTINCT CASE WHEN r.deleted = 0 THEN r.page_id END),
       SUM(CASE WHEN r.deleted = 0 AND r.size > r.parent_size THEN r.size - r.parent_size ELSE 0 END),
       SUM(c.words_added)
FROM (SELECT DISTINCT wiki, rev_id, day, deleted, page_id, size, parent_size
      FROM ledger_revision
      WHERE program_key IN :program_keys AND counted = 1) AS r
LEFT JOIN revision_content c ON c.wiki = r.wiki AND c.rev_id = r.rev_id
GROUP BY r.day, r.wiki
ORDER BY r.day, r.wiki
