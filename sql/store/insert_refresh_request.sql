INSERT INTO refresh_request (client, requested_at) VALUES (:client, :requested_at)
