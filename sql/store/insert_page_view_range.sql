INSERT INTO page_view_range (project, title, first_day, last_day) VALUES (:project, :title, :first_day, :last_day)
