REPLACE INTO revision_wikidata (wiki, rev_id, counts) VALUES (:wiki, :rev_id, :counts)
