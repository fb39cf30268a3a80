-- requires: linktarget templatelinks
-- Production shows a link target only if a templatelink or pagelink uses it. Categories (and, once
-- imagelinks has il_target_id, files) are added here, as categorylinks now points at linktarget.
CREATE OR REPLACE DEFINER = {definer} SQL SECURITY DEFINER VIEW `{wiki_p}`.`linktarget` AS
SELECT lt_id, lt_namespace, lt_title
  FROM `{wiki}`.`linktarget`
 WHERE EXISTS (SELECT 1 FROM `{wiki}`.`templatelinks` WHERE tl_target_id = lt_id)
    OR {{pagelinks_target}}
    OR {{categorylinks_target}}
    OR {{imagelinks_target}};
