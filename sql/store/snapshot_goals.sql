-- One snapshot's goals and their progress, in the order the organizer wrote them.
SELECT metric, per_participant, goal, target, program_total, reached_on
FROM snapshot_goal
WHERE program_key = :program_key AND taken_at = :taken_at
ORDER BY goal_index
