-- 0006: the intake's duplicate window beyond its latest keys (sqlite/seen_keys.go).
--
-- The intake writer keeps the latest idempotency keys in memory; every
-- 65,536 keys it seals them into seen_keys_new in one sorted bulk insert, off
-- the intake's transactions, so memory stays flat however many keys the
-- window holds; every 8 seals, seen_keys_new is merged into seen_keys (a
-- seal rewrites the pages its keys fall in: a small table's, mostly).
-- Every row derives from events: the rows and the mark (state
-- 'seen_keys.through': every event up to that id is sealed) are rebuilt from
-- events when lost. A row is a hint: a match is confirmed by reading the
-- event, so a 64-bit collision or an expired key is never a duplicate.
CREATE TABLE seen_keys (
    hash     INTEGER PRIMARY KEY, -- first 64 bits of SHA-256(source, 0, idem_key), signed
    event_id INTEGER NOT NULL,    -- the latest event with the key
    received INTEGER NOT NULL     -- its received_at in Unix seconds, to sweep expired rows
) STRICT;

-- seen_keys_new: the latest seals, not yet merged into seen_keys.
CREATE TABLE seen_keys_new (
    hash     INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL,
    received INTEGER NOT NULL
) STRICT;
