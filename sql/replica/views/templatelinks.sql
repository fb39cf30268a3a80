-- requires: templatelinks
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`templatelinks` AS
SELECT * FROM `{wiki}`.`templatelinks`;
