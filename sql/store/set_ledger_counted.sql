-- Mark rows of one wiki's ledger counted on one local day (or not counted: counted 0, day NULL), a batch of
-- revision ids at a time: one statement per day and batch rather than per row (bench/README.md: per-row updates
-- were half of a big program's recount).
UPDATE ledger_revision SET counted = :counted, day = :day
WHERE program_key = :program_key AND wiki = :wiki AND rev_id IN :rev_ids
