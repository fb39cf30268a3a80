DELETE FROM ledger_revision WHERE program_key = :program_key AND wiki NOT IN :wikis
