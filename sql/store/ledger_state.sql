SELECT fingerprint, read_until, recounted_at FROM ledger_state WHERE program_key = :program_key AND wiki = :wiki
