-- 0007: dead letters indexed by themselves.
--
-- outbox_due (target, state, next_attempt_at) held an entry for every
-- operation the retention keeps and moved it on every finish (pending to
-- done), a cost in every batch the syncer records; its one reader was the
-- report's search for the day's dead letters. outbox_dead holds dead
-- letters only, by the time they died (their last update), as the
-- PostgreSQL store has it: finishing an operation as done no longer
-- touches it, and the report seeks the day's dead letters directly.
DROP INDEX outbox_due;
CREATE INDEX outbox_dead ON outbox (updated_at) WHERE state = 'dead';
