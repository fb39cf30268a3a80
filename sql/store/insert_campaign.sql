INSERT INTO campaign (campaign_key, wiki, page_id, title, name, description, start_date, end_date, organizers,
                      checked_at, messages, closed, accepted, default_type)
VALUES (:campaign_key, :wiki, :page_id, :title, :name, :description, :start_date, :end_date, :organizers,
        :checked_at, :messages, :closed, :accepted, :default_type)
