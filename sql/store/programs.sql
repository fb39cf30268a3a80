-- Every program the bot has seen, with its latest status and latest snapshot totals (if any), for the web site.
-- {only}: nothing, or Store.program's fixed condition on s.program_key = :program_key (its pages need only theirs).
SELECT s.program_key, s.wiki, s.title, s.checked_at, s.ok, s.messages, s.edit_outcome, s.next_update_at,
       p.name, p.start_date, p.end_date, p.tracked_wikis, p.campaigns, p.private,
       n.taken_at, n.participants, c.edits, c.articles_edited
FROM program_status s
LEFT JOIN program p ON p.program_key = s.program_key
LEFT JOIN snapshot n ON n.program_key = s.program_key
  AND n.taken_at = (SELECT MAX(taken_at) FROM snapshot m WHERE m.program_key = s.program_key)
LEFT JOIN snapshot_counts c ON c.program_key = n.program_key AND c.taken_at = n.rows_at AND c.dimension = 'total'
{only}
ORDER BY LOWER(COALESCE(p.name, s.title)), s.program_key
