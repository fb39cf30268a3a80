SELECT first_day, last_day FROM page_view_range WHERE project = :project AND title = :title
