DELETE FROM refresh_request WHERE requested_at < :before
