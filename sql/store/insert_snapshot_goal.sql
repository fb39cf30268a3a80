INSERT INTO snapshot_goal (program_key, taken_at, goal_index, metric, per_participant, goal, target, program_total,
                           reached_on)
VALUES (:program_key, :taken_at, :goal_index, :metric, :per_participant, :goal, :target, :program_total, :reached_on)
