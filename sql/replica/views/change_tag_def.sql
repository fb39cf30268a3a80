-- requires: change_tag_def
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`change_tag_def` AS
SELECT * FROM `{wiki}`.`change_tag_def`;
