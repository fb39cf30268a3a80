-- Used for a view whose source tables don't exist in this wiki's schema (as maintain-views skips them).
DROP VIEW IF EXISTS `{wiki_p}`.`{view}`;
