-- 0008: what two migrations gained after they had shipped, for databases
-- made before (testdata/upgrade). Each statement leaves a database that has
-- it already as it was (the index is rebuilt: it holds pending rows only).
--
-- 0002 first made outbox_claim on (target, kind, next_attempt_at) and no
-- outbox_pending_key (syncd before 3fe4bc5): the claim names both with
-- INDEXED BY, so such a database failed to open ("no such index").
DROP INDEX IF EXISTS outbox_claim;
CREATE INDEX outbox_claim ON outbox (target, kind) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS outbox_pending_key ON outbox (target, kind, key) WHERE state = 'pending';

-- 0006 first made seen_keys only (syncd before 863d0ff): intake then
-- answered every delivery 503 ("no such table: seen_keys_new").
CREATE TABLE IF NOT EXISTS seen_keys_new (
    hash     INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL,
    received INTEGER NOT NULL
) STRICT;
