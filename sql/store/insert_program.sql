INSERT INTO program (program_key, wiki, page_id, title, name, start_date, end_date, tracked_wikis, namespaces)
VALUES (:program_key, :wiki, :page_id, :title, :name, :start_date, :end_date, :tracked_wikis, :namespaces)
