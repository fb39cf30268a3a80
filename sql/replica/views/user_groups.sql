-- requires: user_groups
-- Fullview (maintain-views.yaml `fullviews`): every column of the table, unmasked.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`user_groups` AS
SELECT * FROM `{wiki}`.`user_groups`;
