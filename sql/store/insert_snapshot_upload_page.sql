INSERT INTO snapshot_upload_page (program_key, taken_at, wiki, file, place, page_wiki, page_title, views)
VALUES (:program_key, :taken_at, :wiki, :file, :place, :page_wiki, :page_title, :views)
