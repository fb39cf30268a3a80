-- Registration and latest edit (any time, existing pages in the tracked namespaces; for retention) of these
-- actors. The latest edit is a correlated subquery that walks rev_actor_timestamp backwards and stops at the first
-- revision in a tracked namespace, instead of reading a participant's whole history.
SELECT actor_id,
       user_registration,
       (SELECT r.rev_timestamp
          FROM revision_userindex r
          STRAIGHT_JOIN page ON page_id = r.rev_page
         WHERE r.rev_actor = actor_id
           AND page_namespace IN %(namespaces)s
         ORDER BY r.rev_timestamp DESC
         LIMIT 1) AS last_edit
FROM actor_user
STRAIGHT_JOIN user ON user_id = actor_user
WHERE actor_id IN %(actors)s
