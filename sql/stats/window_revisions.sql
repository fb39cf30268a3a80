-- How many revisions the hashtag search of mode "anyone" reads (hashtag_authors.sql: the window's first %(limit)s
-- revisions of any namespace, in time order), and the time of the last one: when it read %(limit)s, the search
-- stopped there. An index-only range scan of rev_timestamp.
SELECT COUNT(*), MAX(w.rev_timestamp)
FROM (SELECT rev_timestamp
      FROM revision
      WHERE rev_timestamp >= %(start)s
        AND rev_timestamp < %(end)s
      ORDER BY rev_timestamp
      LIMIT %(limit)s) AS w
