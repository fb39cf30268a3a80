SELECT rev_id, counts FROM revision_wikidata WHERE wiki = :wiki AND rev_id IN :rev_ids
