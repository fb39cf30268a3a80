-- The connection's own id on MariaDB (a test kills it to check that the web site reconnects).
SELECT CONNECTION_ID()
