-- Revisions' facts, with whether the program counts each and on which local day (counted 0, day NULL when it does
-- not, or when it is not known yet: Store.mark_ledger_counted then marks it). {verb}, filled in by
-- Store.record_ledger: INSERT for a recount (the program's rows were just cleared, there is nothing to replace),
-- REPLACE for an update (the re-read row wins); SQLite and MariaDB both accept either. SQLite runs this row for
-- each fact (executemany, a loop in C); on MariaDB the store sends many rows per statement, rendered once in this
-- column order (Store._ledger_values; pymysql's executemany escaped every value of every row again).
{verb} INTO ledger_revision (program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, size,
                              parent_size, parent_id, deleted, counted, day)
VALUES (:program_key, :wiki, :rev_id, :username, :page_id, :namespace, :title, :rev_timestamp, :size, :parent_size,
        :parent_id, :deleted, :counted, :day)
