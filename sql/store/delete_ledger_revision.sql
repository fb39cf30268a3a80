DELETE FROM ledger_revision WHERE program_key = :program_key AND wiki = :wiki AND rev_id = :rev_id
