-- Issue 14: a campaign may be closed, and then counts only the programs its organizers accepted (titles, one per
-- line), so that anyone naming the campaign in their program cannot join it by themselves.
ALTER TABLE campaign ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE campaign ADD COLUMN accepted TEXT NOT NULL DEFAULT ''
