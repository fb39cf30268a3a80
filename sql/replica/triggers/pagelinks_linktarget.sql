-- trigger: replica_lt_pagelinks
-- requires: pagelinks.pl_title linktarget
-- MW 1.39 only (pagelinks still has pl_namespace/pl_title): keep a linktarget row for every page link
-- target, so that the pagelinks view can expose pl_target_id. See categorylinks_linktarget.sql.
CREATE DEFINER = {trigger_definer} TRIGGER `{wiki}`.`replica_lt_pagelinks`
AFTER INSERT ON `{wiki}`.`pagelinks` FOR EACH ROW
INSERT IGNORE INTO `{wiki}`.`linktarget` (lt_namespace, lt_title)
SELECT NEW.pl_namespace, NEW.pl_title FROM DUAL
 WHERE NOT EXISTS (SELECT 1 FROM `{wiki}`.`linktarget`
                    WHERE lt_namespace = NEW.pl_namespace AND lt_title = NEW.pl_title);

INSERT IGNORE INTO `{wiki}`.`linktarget` (lt_namespace, lt_title)
SELECT DISTINCT pl_namespace, pl_title FROM `{wiki}`.`pagelinks`
 WHERE NOT EXISTS (SELECT 1 FROM `{wiki}`.`linktarget` WHERE lt_namespace = pl_namespace AND lt_title = pl_title);
SELECT 'backfill', 'pagelinks', ROW_COUNT();
