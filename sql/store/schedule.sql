-- What deciding a program's next update needs: its last check, whether it went well, its window, and the latest
-- page revision the bot knows (the last one its trust fold read, or its own last save of the page).
SELECT s.checked_at, s.ok, p.window_start, p.window_end, t.last_revid,
       (SELECT MAX(e.revision) FROM edit_log e
        WHERE e.program_key = s.program_key AND e.kind = 'outcome' AND e.outcome = 'saved') AS bot_revid
FROM program_status s
LEFT JOIN program p ON p.program_key = s.program_key
LEFT JOIN program_trust t ON t.program_key = s.program_key
WHERE s.program_key = :program_key
