-- 0003: duplicates are found in the intake writer's memory (loaded from
-- events by received_at at start). The index on idempotency keys dirtied one
-- random page per event in every commit: the largest cost of durable intake.
DROP INDEX events_idem;
