DELETE FROM campaign WHERE campaign_key = :campaign_key
