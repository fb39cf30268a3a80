-- The (wiki, page) pairs in the main namespace of any wiki that use each of these files now, from GlobalUsage's
-- globalimagelinks on the file wiki (Commons), on the link tables' own connection (never joined with page or
-- revision). Each file's first per_file pages in (wiki, title) order, each row with the file's number of uses;
-- a file nobody uses has no row. The condition on gil_to is an index lookup per file (on the dev wikis' view it is
-- pushed into each wiki's branch); (gil_to, gil_wiki, gil_page) is the table's key, so the rows are distinct pairs.
SELECT gil_to,
       gil_wiki,
       gil_page_title,
       uses
FROM (
  SELECT gil_to,
         gil_wiki,
         gil_page_title,
         COUNT(*) OVER (PARTITION BY gil_to) AS uses,
         ROW_NUMBER() OVER (PARTITION BY gil_to ORDER BY gil_wiki, gil_page_title) AS place
  FROM globalimagelinks
  WHERE gil_to IN %(files)s
    AND gil_page_namespace_id = 0
) AS used
WHERE place <= %(per_file)s
ORDER BY gil_to, place
