-- Issue 15: page views fetched once per article per day, not per run. The days of an article already asked for
-- (page_view_range, inclusive) and the views of those that had any (page_view_day; a day in range without a row had
-- none). A day's views never change once the day is over, so what is here is never asked again.
CREATE TABLE page_view_range (
  project VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  first_day CHAR(10) NOT NULL,
  last_day CHAR(10) NOT NULL,
  PRIMARY KEY (project, title)
);

CREATE TABLE page_view_day (
  project VARCHAR(64) NOT NULL,
  title VARCHAR(255) NOT NULL,
  day CHAR(10) NOT NULL,
  views BIGINT NOT NULL,
  PRIMARY KEY (project, title, day)
)
