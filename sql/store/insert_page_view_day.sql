INSERT INTO page_view_day (project, title, day, views) VALUES (:project, :title, :day, :views)
