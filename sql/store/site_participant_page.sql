-- One page of a program's sign-ups (every status, as the participants tab lists them) with their counts in one
-- snapshot, zeros where it has no row, so that the site builds only the rows it shows: every sign-up (:every = 1)
-- or those of a page already chosen (:names). A participant's row counts their files too: only the files of the
-- people counted count, and each of them has a row (bot/aggregate.py), so these are the files the snapshot lists by
-- uploader (snapshot_upload) without a join that cost MariaDB a nested loop over both. {order} is filled in by
-- Store.participant_page from a fixed list, never from input: the sort column's expression and direction and a
-- comma, or nothing. Equal keys keep the sign-up order (sql/store/participants.sql), in both directions.
-- (A snapshot's rows are stored under its rows_at: an unchanged snapshot shares an earlier one's.)
SELECT p.username, p.status,
       COALESCE(c.edits, 0), COALESCE(c.edits_deleted, 0), COALESCE(c.articles_edited, 0),
       COALESCE(c.articles_created, 0), COALESCE(c.articles_created_deleted, 0), COALESCE(c.bytes_added, 0),
       COALESCE(c.bytes_removed, 0), COALESCE(c.uploads, 0), COALESCE(c.uploads_in_use, 0),
       COALESCE(c.upload_usage, 0)
FROM program_participant p
LEFT JOIN snapshot_counts c
  ON c.program_key = p.program_key AND c.taken_at = (SELECT r.rows_at FROM snapshot r
                  WHERE r.program_key = :program_key AND r.taken_at = :taken_at) AND c.dimension = 'participant'
  AND c.dimension_value = p.username
WHERE p.program_key = :program_key AND (:every = 1 OR p.username IN :names)
ORDER BY {order} p.signed_up_at, p.username
LIMIT :max_rows OFFSET :skip
