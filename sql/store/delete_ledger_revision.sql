-- Rows of one wiki's ledger an update found gone, a batch of revision ids at a time (a DELETE per row would be one
-- round trip each: pymysql folds only INSERT and REPLACE into multi-row statements).
DELETE FROM ledger_revision WHERE program_key = :program_key AND wiki = :wiki AND rev_id IN :rev_ids
