-- A program's latest snapshot: its time, the instant its rows are stored under, and the digest of its numbers.
SELECT taken_at, rows_at, digest
FROM snapshot
WHERE program_key = :program_key
ORDER BY taken_at DESC
LIMIT 1
