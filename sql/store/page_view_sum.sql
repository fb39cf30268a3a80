-- An article's views over a range of days (days without a row had none).
SELECT COALESCE(SUM(views), 0) FROM page_view_day
WHERE project = :project AND title = :title AND day >= :first_day AND day <= :last_day
