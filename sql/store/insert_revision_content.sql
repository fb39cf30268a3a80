INSERT INTO revision_content (wiki, rev_id, words_added, references_added, references_removed)
VALUES (:wiki, :rev_id, :words_added, :references_added, :references_removed)
