INSERT INTO snapshot_counts (program_key, taken_at, dimension, dimension_value, edits, edits_deleted,
                             articles_edited, articles_created, articles_created_deleted, bytes_added,
                             bytes_removed, uploads, uploads_in_use, upload_usage, page_views)
VALUES (:program_key, :taken_at, :dimension, :dimension_value, :edits, :edits_deleted, :articles_edited,
        :articles_created, :articles_created_deleted, :bytes_added, :bytes_removed, :uploads, :uploads_in_use,
        :upload_usage, :page_views)
