INSERT INTO program (program_key, wiki, page_id, title, name, start_date, end_date, tracked_wikis, namespaces,
                     campaigns, private, program_type, timezone, window_start, window_end, description, institution,
                     location, organizers, facilitators, scope, signup_open, signup_close, digest,
                     participants_digest)
VALUES (:program_key, :wiki, :page_id, :title, :name, :start_date, :end_date, :tracked_wikis, :namespaces,
        :campaigns, :private, :program_type, :timezone, :window_start, :window_end, :description, :institution,
        :location, :organizers, :facilitators, :scope, :signup_open, :signup_close, :digest, :participants_digest)
