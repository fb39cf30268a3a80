-- requires: pagelinks.pl_title linktarget
-- MW 1.39: pagelinks names its target (pl_namespace, pl_title); expose production's pl_target_id by
-- looking it up in linktarget (kept complete by triggers/pagelinks_linktarget.sql). The old columns stay.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`pagelinks` AS
SELECT pl.pl_from,
       pl.pl_from_namespace,
       lt.lt_id AS pl_target_id,
       pl.pl_namespace,
       pl.pl_title
  FROM `{wiki}`.`pagelinks` pl
  LEFT JOIN `{wiki}`.`linktarget` lt ON lt.lt_namespace = pl.pl_namespace AND lt.lt_title = pl.pl_title;
