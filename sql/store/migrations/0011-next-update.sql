-- Issue 16: the real time of each program's next update, from its tier (bot/tiers.py); '' once it is frozen.
ALTER TABLE program_status ADD COLUMN next_update_at CHAR(20) NOT NULL DEFAULT ''
