-- Files first uploaded by these actors inside one slice of the window (upload log, action 'upload'; overwrites
-- are 'overwrite' and do not count). logging_userindex has the raw log_actor (index log_actor_type_time) and drops
-- rows whose performer is hidden; an entry whose target is hidden has log_title NULL and is left out.
SELECT log_id,
       log_actor,
       log_title,
       log_timestamp
FROM logging_userindex
WHERE log_actor IN %(actors)s
  AND log_type = 'upload'
  AND log_timestamp >= %(start)s
  AND log_timestamp < %(end)s
  AND log_action = 'upload'
  AND log_namespace = 6
  AND log_title IS NOT NULL
