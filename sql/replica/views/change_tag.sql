-- requires: change_tag
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`change_tag` AS
SELECT * FROM `{wiki}`.`change_tag`;
