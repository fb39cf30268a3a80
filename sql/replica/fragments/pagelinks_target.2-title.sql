-- requires: pagelinks.pl_title
-- MW 1.39: pagelinks still names its target; uses index pl_namespace (pl_namespace, pl_title, pl_from).
EXISTS (SELECT 1 FROM `{wiki}`.`pagelinks` WHERE pl_namespace = lt_namespace AND pl_title = lt_title)
