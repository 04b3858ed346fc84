-- 0002: the syncer claims due operations of one target and one kind (contacts
-- before deals). outbox_due has no kind, so a claim of contacts walked past
-- every pending deal; this partial index holds only pending rows.
CREATE INDEX outbox_claim ON outbox (target, kind, next_attempt_at) WHERE state = 'pending';
