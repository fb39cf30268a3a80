DELETE FROM page_view_day WHERE project = :project AND title = :title AND day = :day
