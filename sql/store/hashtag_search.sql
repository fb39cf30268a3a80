SELECT fingerprint, searched_until, authors FROM hashtag_search WHERE program_key = :program_key AND wiki = :wiki
