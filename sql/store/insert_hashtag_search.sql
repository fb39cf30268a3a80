REPLACE INTO hashtag_search (program_key, wiki, fingerprint, resume_from, authors)
VALUES (:program_key, :wiki, :fingerprint, :resume_from, :authors)
