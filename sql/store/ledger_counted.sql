SELECT rev_id, day FROM ledger_revision WHERE program_key = :program_key AND wiki = :wiki AND counted = 1
