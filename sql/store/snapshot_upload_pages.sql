-- The pages using one upload of one snapshot (at most the 100 kept, stored under its rows_at), in (wiki, title)
-- order.
SELECT page_wiki, page_title, views
FROM snapshot_upload_page
WHERE program_key = :program_key
  AND taken_at = (SELECT rows_at FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at)
  AND wiki = :wiki AND file = :file
ORDER BY place
