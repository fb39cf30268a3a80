SELECT COUNT(*) FROM refresh_request WHERE client = :client AND requested_at >= :since
