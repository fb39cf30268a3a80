-- Run it again after the current run; remember the newest page revision that asked (0: a refresh, always).
UPDATE update_queue
SET again_revid = CASE WHEN again = 1 AND again_revid = 0 THEN 0
                       WHEN :revid = 0 THEN 0
                       WHEN again_revid > :revid THEN again_revid
                       ELSE :revid END,
    again = 1
WHERE program_key = :program_key
