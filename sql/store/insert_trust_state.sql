INSERT INTO program_trust (program_key, last_revid, state) VALUES (:program_key, :last_revid, :state)
