INSERT INTO program_status (program_key, wiki, title, checked_at, ok, messages, edit_outcome, next_update_at)
VALUES (:program_key, :wiki, :title, :checked_at, :ok, :messages, :edit_outcome, :next_update_at)
