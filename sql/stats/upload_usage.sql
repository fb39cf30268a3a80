-- How many (wiki, page) pairs in the main namespace of any wiki use each of these files now, from GlobalUsage's
-- globalimagelinks on the file wiki (Commons). The condition on gil_to is an index lookup per file (on the dev
-- wikis' view it is pushed into each wiki's branch).
SELECT gil_to,
       COUNT(DISTINCT gil_wiki, gil_page) AS pages
FROM globalimagelinks
WHERE gil_to IN %(files)s
  AND gil_page_namespace_id = 0
GROUP BY gil_to
