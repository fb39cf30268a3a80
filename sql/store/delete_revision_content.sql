DELETE FROM revision_content WHERE wiki = :wiki AND rev_id = :rev_id
