-- Campaigns in alphabetical order (the site and the campaign reports list them this way).
SELECT campaign_key, wiki, title, name, description, start_date, end_date, organizers, checked_at, messages, closed,
       accepted, default_type
FROM campaign
ORDER BY LOWER(name), campaign_key
