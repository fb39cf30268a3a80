-- Issues 14 and 15: a campaign may be closed, and then counts only the programs its organizers accepted (titles, one
-- per line), so that anyone naming the campaign in their program cannot join it by themselves; and its default
-- program type applies to its programs that name none.
ALTER TABLE campaign ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaign ADD COLUMN accepted TEXT NOT NULL DEFAULT '';
ALTER TABLE campaign ADD COLUMN default_type VARCHAR(32) NOT NULL DEFAULT 'basic'
