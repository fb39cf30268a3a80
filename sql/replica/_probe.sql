-- Schema probe, run once per invocation by scripts/replica-views (placeholder {wiki_list}: the quoted wiki names).
-- Output rows: kind, a, b, c (tab-separated).
SELECT 'column' AS kind, c.TABLE_SCHEMA AS a, c.TABLE_NAME AS b, c.COLUMN_NAME AS c
  FROM information_schema.COLUMNS c
  JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME)
 WHERE c.TABLE_SCHEMA IN ({wiki_list}) AND t.TABLE_TYPE = 'BASE TABLE'
UNION ALL
SELECT 'database', SCHEMA_NAME, '', '' FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ({wiki_list})
UNION ALL
SELECT 'account', User, Host, '' FROM mysql.user
 WHERE (User = 'viewmaster' AND Host = 'localhost') OR (User = 'root' AND Host = 'localhost')
UNION ALL
SELECT 'viewmaster_grant', TABLE_SCHEMA, PRIVILEGE_TYPE, '' FROM information_schema.SCHEMA_PRIVILEGES
 WHERE GRANTEE = '''viewmaster''@''localhost''' AND PRIVILEGE_TYPE = 'SELECT';
