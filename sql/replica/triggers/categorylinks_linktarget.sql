-- trigger: replica_lt_categorylinks
-- requires: categorylinks.cl_to linktarget
-- Keep a linktarget row for every category in use, so that the categorylinks view can expose
-- cl_target_id. MediaWiki itself looks linktarget rows up by (lt_namespace, lt_title), so extra rows are
-- harmless. The trigger lives in the wiki's own database: mysqldump snapshots carry it along.
-- NOT EXISTS first, so that a category already known doesn't use up an auto-increment id.
CREATE DEFINER = {trigger_definer} TRIGGER `{wiki}`.`replica_lt_categorylinks`
AFTER INSERT ON `{wiki}`.`categorylinks` FOR EACH ROW
INSERT IGNORE INTO `{wiki}`.`linktarget` (lt_namespace, lt_title)
SELECT 14, NEW.cl_to FROM DUAL
 WHERE NOT EXISTS (SELECT 1 FROM `{wiki}`.`linktarget` WHERE lt_namespace = 14 AND lt_title = NEW.cl_to);

-- One-off backfill for rows written before the trigger existed (a no-op when nothing is missing).
INSERT IGNORE INTO `{wiki}`.`linktarget` (lt_namespace, lt_title)
SELECT DISTINCT 14, cl_to FROM `{wiki}`.`categorylinks`
 WHERE NOT EXISTS (SELECT 1 FROM `{wiki}`.`linktarget` WHERE lt_namespace = 14 AND lt_title = cl_to);
SELECT 'backfill', 'categorylinks', ROW_COUNT();
