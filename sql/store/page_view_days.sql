-- An article's views per day over a range of days (only days that had views have a row).
SELECT day, views FROM page_view_day
WHERE project = :project AND title = :title AND day >= :first_day AND day <= :last_day
ORDER BY day
