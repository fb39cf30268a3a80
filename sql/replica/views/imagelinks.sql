-- requires: imagelinks
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`imagelinks` AS
SELECT * FROM `{wiki}`.`imagelinks`;
