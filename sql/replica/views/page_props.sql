-- requires: page_props
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`page_props` AS
SELECT * FROM `{wiki}`.`page_props`;
