-- Invitation list (bot/invitations.py): which of these user ids are bots (the `bot` group, unexpired) or blocked
-- sitewide now (a block that has not expired; `infinity` sorts after every timestamp). Production's replicas have
-- `block` + `block_target` (MediaWiki >= 1.42; the `ipblocks` views are compatibility views); the dev wikis' views
-- give MediaWiki 1.39's ipblocks that shape (sql/replica/views/block*.sql).
SELECT ug_user AS user_id, 'bot' AS reason
FROM user_groups
WHERE ug_user IN %(user_ids)s
  AND ug_group = 'bot'
  AND (ug_expiry IS NULL OR ug_expiry > %(now)s)
UNION ALL
SELECT bt_user AS user_id, 'blocked' AS reason
FROM block_target
STRAIGHT_JOIN block ON bl_target = bt_id
WHERE bt_user IN %(user_ids)s
  AND bl_sitewide = 1
  AND bl_expiry > %(now)s
