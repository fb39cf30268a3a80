-- requires: pagelinks
-- MW >= 1.43 (pl_target_id), as production: fullview.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`pagelinks` AS
SELECT * FROM `{wiki}`.`pagelinks`;
