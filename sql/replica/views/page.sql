-- requires: page
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`page` AS
SELECT * FROM `{wiki}`.`page`;
