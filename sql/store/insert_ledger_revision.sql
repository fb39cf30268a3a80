-- One revision's facts, new or re-read (REPLACE: the re-read row wins, uncounted until the next count marks it;
-- SQLite and MariaDB both accept REPLACE).
REPLACE INTO ledger_revision (program_key, wiki, rev_id, username, page_id, namespace, title, rev_timestamp, size,
                              parent_size, parent_id, deleted)
VALUES (:program_key, :wiki, :rev_id, :username, :page_id, :namespace, :title, :rev_timestamp, :size, :parent_size,
        :parent_id, :deleted)
