-- requires: imagelinks.il_to page
-- One wiki's file usage ({source_wiki}: that wiki's database name). Types as GlobalUsage's:
-- gil_wiki and gil_page_namespace are varbinary (CONVERT ... USING binary; CAST AS BINARY(n) would pad
-- with NUL bytes). gil_page_namespace: GlobalUsage stores the page's localized namespace name; here the
-- canonical English name for core namespaces ('' for articles, 'Project' for 4 whatever the wiki's
-- project name is) and the number as text for any other namespace. Use gil_page_namespace_id.
SELECT CONVERT('{source_wiki}' USING binary) AS gil_wiki,
       il.il_from AS gil_page,
       il.il_to AS gil_to,
       p.page_namespace AS gil_page_namespace_id,
       CONVERT(CASE p.page_namespace
                 WHEN 0 THEN '' WHEN 1 THEN 'Talk' WHEN 2 THEN 'User' WHEN 3 THEN 'User_talk'
                 WHEN 4 THEN 'Project' WHEN 5 THEN 'Project_talk' WHEN 6 THEN 'File' WHEN 7 THEN 'File_talk'
                 WHEN 8 THEN 'MediaWiki' WHEN 9 THEN 'MediaWiki_talk' WHEN 10 THEN 'Template'
                 WHEN 11 THEN 'Template_talk' WHEN 12 THEN 'Help' WHEN 13 THEN 'Help_talk'
                 WHEN 14 THEN 'Category' WHEN 15 THEN 'Category_talk'
                 ELSE CAST(p.page_namespace AS CHAR)
               END USING binary) AS gil_page_namespace,
       p.page_title AS gil_page_title
  FROM `{source_wiki}`.`imagelinks` il
  JOIN `{source_wiki}`.`page` p ON p.page_id = il.il_from
