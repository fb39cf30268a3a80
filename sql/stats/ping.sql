-- A replica is reachable and its views readable (python -m bot check).
SELECT COUNT(*) FROM (SELECT 1 FROM page LIMIT 1) AS one_page
