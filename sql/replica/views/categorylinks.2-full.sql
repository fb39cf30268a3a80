-- requires: categorylinks
-- MW >= 1.45 (cl_target_id only), as production: fullview.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`categorylinks` AS
SELECT * FROM `{wiki}`.`categorylinks`;
