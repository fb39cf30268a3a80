-- Which of these revisions (live or archived: change_tag keeps ct_rev_id) have one of these change tags (issue 18,
-- bot/hashtags.py). change_tag_def is tiny; change_tag is read by its ct_rev_id index.
SELECT DISTINCT ct_rev_id
FROM change_tag
JOIN change_tag_def ON ctd_id = ct_tag_id
WHERE ct_rev_id IN %(revs)s
  AND ctd_name IN %(tags)s
