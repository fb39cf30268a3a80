SELECT fingerprint, resume_from, authors FROM hashtag_search WHERE program_key = :program_key AND wiki = :wiki
