UPDATE ledger_revision SET counted = :counted, day = :day
WHERE program_key = :program_key AND wiki = :wiki AND rev_id = :rev_id
