SELECT rev_id, words_added, references_added, references_removed FROM revision_content WHERE wiki = :wiki AND rev_id IN :rev_ids
