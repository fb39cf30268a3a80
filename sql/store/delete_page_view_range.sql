DELETE FROM page_view_range WHERE project = :project AND title = :title
