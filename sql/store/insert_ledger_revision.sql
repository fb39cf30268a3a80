-- One revision's facts, new or re-read, with whether the program counts it and on which local day (counted 0, day
-- NULL when it does not, or when it is not known yet: Store.mark_ledger_counted then marks it). REPLACE: the
-- re-read row wins; SQLite and MariaDB both accept it.
REPLACE INTO ledger_revision (program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, size,
                              parent_size, parent_id, deleted, counted, day)
VALUES (:program_key, :wiki, :rev_id, :username, :page_id, :namespace, :title, :rev_timestamp, :size, :parent_size,
        :parent_id, :deleted, :counted, :day)
