-- Issue 17: a file's page on the site lists the pages using it and their views. With each snapshot, per counted
-- upload (snapshot_upload's wiki and file), the main-namespace pages of any wiki that use it: the first 100 in
-- (wiki, title) order (snapshot_upload.file_usage counts them all), the page's wiki by its database name
-- (globalimagelinks' gil_wiki), its title without namespace, and its views of the last 30 complete UTC days (NULL:
-- not known). Written, replaced and pruned with the snapshot.
CREATE TABLE snapshot_upload_page (
  program_key VARCHAR(255) NOT NULL,
  taken_at CHAR(20) NOT NULL,
  wiki VARCHAR(64) NOT NULL,
  file VARCHAR(255) NOT NULL,
  place INTEGER NOT NULL,
  page_wiki VARCHAR(64) NOT NULL,
  page_title VARCHAR(255) NOT NULL,
  views BIGINT,
  PRIMARY KEY (program_key, taken_at, wiki, file, place)
)
