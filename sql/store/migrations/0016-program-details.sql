-- Issue 17: what the web site's program page states besides the numbers: the description, institution and place,
-- organizers and facilitators (one per line), the article scope (JSON: bot/program.py Scope) and the sign-up
-- settings (open or not; the local instant it closes, '' for none).
ALTER TABLE program ADD COLUMN description MEDIUMTEXT NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN institution TEXT NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN location TEXT NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN organizers TEXT NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN facilitators TEXT NOT NULL DEFAULT '';
ALTER TABLE program ADD COLUMN scope MEDIUMTEXT NOT NULL DEFAULT '{}';
ALTER TABLE program ADD COLUMN signup_open INTEGER NOT NULL DEFAULT 1;
ALTER TABLE program ADD COLUMN signup_close CHAR(20) NOT NULL DEFAULT ''
