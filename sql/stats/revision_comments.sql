-- The summaries of these revisions (issue 18, hashtags: bot/hashtags.py), by revision id: a primary-key lookup of
-- `revision`, then of `comment_revision` by the revision's rev_comment_id. We go from revisions to comments, never
-- the other way (comment is a wiki's biggest table). A hidden summary (rev_deleted & 2) has rev_comment_id NULL and
-- no row here.
SELECT rev_id, comment_text
FROM revision
JOIN comment_revision ON comment_id = rev_comment_id
WHERE rev_id IN %(revs)s
