REPLACE INTO ledger_state (program_key, wiki, fingerprint, read_until, recounted_at, counting, written)
VALUES (:program_key, :wiki, :fingerprint, :read_until, :recounted_at, :counting, :written)
