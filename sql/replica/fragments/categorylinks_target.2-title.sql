-- requires: categorylinks.cl_to
-- MW 1.39-1.44: categories are named by cl_to; uses index cl_sortkey (cl_to, ...).
(lt_namespace = 14 AND EXISTS (SELECT 1 FROM `{wiki}`.`categorylinks` WHERE cl_to = lt_title))
