-- Actor ids of the participants on one wiki, looked up once per update by name (unique index actor_name) and then
-- used by every fact family: actor ids never change. actor_user (registered accounts that are not hidden) is the
-- cheap view here; actor_revision/actor_archive/actor_logging would add an EXISTS probe per name.
SELECT actor_id, actor_name
FROM actor_user
WHERE actor_name IN %(usernames)s
