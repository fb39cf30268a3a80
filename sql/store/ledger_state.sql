SELECT fingerprint, read_until, recounted_at, counting, written
FROM ledger_state
WHERE program_key = :program_key AND wiki = :wiki
