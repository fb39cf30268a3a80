REPLACE INTO hashtag_search (program_key, wiki, fingerprint, searched_until, authors)
VALUES (:program_key, :wiki, :fingerprint, :searched_until, :authors)
