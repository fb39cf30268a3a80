-- Who used a hashtag in the window (issue 18, mode "anyone": a hashtag campaign without sign-up; bot/hashtags.py).
-- From revisions to comments, never the reverse: the window's first %(limit)s revisions through the rev_timestamp
-- index (a bounded range scan), then per revision its page (tracked namespaces), its summary (comment_revision by
-- primary key) and its author (registered accounts only). Only summaries holding a "#" leave the server; the exact
-- hashtags are matched in Python (word boundaries, any script, case-insensitive). A hidden author (rev_deleted & 4)
-- or summary (& 2) is NULL in `revision` and finds no row.
SELECT actor_name, comment_text
FROM (SELECT rev_page, rev_actor, rev_comment_id
      FROM revision
      WHERE rev_timestamp >= %(start)s
        AND rev_timestamp < %(end)s
      ORDER BY rev_timestamp
      LIMIT %(limit)s) AS w
STRAIGHT_JOIN page ON page_id = w.rev_page
JOIN comment_revision ON comment_id = w.rev_comment_id
JOIN actor_revision ON actor_id = w.rev_actor
WHERE page_namespace IN %(namespaces)s
  AND actor_user IS NOT NULL
  AND comment_text LIKE '%%#%%'
