UPDATE program SET participants_digest = :participants_digest WHERE program_key = :program_key
