-- Whether the bot ever saved this kind of edit on this page for this program.
SELECT COUNT(*) FROM edit_log
WHERE wiki = :wiki AND page = :page AND program_key = :program_key AND kind = :kind AND outcome = 'saved'
