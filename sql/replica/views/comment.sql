-- requires: comment image filearchive oldimage protected_titles recentchanges revision logging
-- A comment is shown if something visible refers to it (production's WHERE clause). Production writes
-- each test as a correlated EXISTS and has indexes on the referring columns (index-conf.yaml); the local
-- tables lack most of them, so each test is written as the equivalent `comment_id IN (SELECT ...)`,
-- which MariaDB can materialize once per query instead of scanning the referring table for every row
-- (MariaDB 10.11 kept the EXISTS as a DEPENDENT SUBQUERY when the view was joined to another).
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`comment` AS
SELECT comment_id, comment_hash, comment_text, comment_data
  FROM `{wiki}`.`comment`
 WHERE comment_id IN (SELECT img_description_id FROM `{wiki}`.`image`)
    OR comment_id IN (SELECT fa_deleted_reason_id FROM `{wiki}`.`filearchive`)
    OR comment_id IN (SELECT fa_description_id FROM `{wiki}`.`filearchive` WHERE fa_deleted & 2 = 0)
    OR {{block_reason}}
    OR comment_id IN (SELECT oi_description_id FROM `{wiki}`.`oldimage` WHERE oi_deleted & 2 = 0)
    OR comment_id IN (SELECT pt_reason_id FROM `{wiki}`.`protected_titles`)
    OR comment_id IN (SELECT rc_comment_id FROM `{wiki}`.`recentchanges` WHERE rc_deleted & 2 = 0)
    OR {{revision_comment}}
    OR comment_id IN (SELECT log_comment_id FROM `{wiki}`.`logging`
                       WHERE log_deleted & 2 = 0 AND log_type IN ({{allowed_logtypes}}));
