DELETE FROM ledger_state WHERE program_key = :program_key AND wiki NOT IN :wikis
