-- One snapshot's goals and their progress, in the order the organizer wrote them (stored under its rows_at).
SELECT metric, per_participant, goal, target, program_total, reached_on
FROM snapshot_goal
WHERE program_key = :program_key
  AND taken_at = (SELECT rows_at FROM snapshot WHERE program_key = :program_key AND taken_at = :taken_at)
ORDER BY goal_index
