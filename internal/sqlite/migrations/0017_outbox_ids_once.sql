-- 0017: an outbox operation id names one operation for good.
--
-- The outbox is the one table whose rows are deleted (syncd erase, the
-- retention purge, syncd outbox drop, an operation superseded), and
-- without AUTOINCREMENT SQLite gives a new row the highest id held + 1:
-- once the newest operations were deleted, the next ones took their ids,
-- and a log line, alert or workbook naming `syncd outbox retry 7` named
-- another person's operation. AUTOINCREMENT keeps the highest id ever
-- given (sqlite_sequence), as PostgreSQL's sequences do. SQLite cannot add
-- it to a table, so the table is made again with every row and id as it
-- was; the ids are copied, so the sequence starts at the highest held.
CREATE TABLE outbox_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    target          TEXT    NOT NULL,              -- hubspot | pipedrive | dryrun
    kind            TEXT    NOT NULL,              -- contact | deal | erase
    key             TEXT    NOT NULL,              -- contact identity or lead id
    contact_key     TEXT    NOT NULL DEFAULT '',   -- deals: the associated contact's key
    properties      TEXT    NOT NULL,              -- JSON object of CRM property -> string
    props_hash      TEXT    NOT NULL,              -- SHA-256 of kind, key, contact_key, properties
    mapping_file    TEXT    NOT NULL,
    mapping_hash    TEXT    NOT NULL,
    state           TEXT    NOT NULL DEFAULT 'pending', -- pending | done | dead
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT    NOT NULL,
    lease_until     TEXT,
    last_error      TEXT    NOT NULL DEFAULT '',
    crm_id          TEXT    NOT NULL DEFAULT '',
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    done_at         TEXT,
    key_kind        TEXT    NOT NULL DEFAULT '',
    dead_cause      TEXT    NOT NULL DEFAULT ''
) STRICT;
INSERT INTO outbox_new (id, event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
    mapping_hash, state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at,
    done_at, key_kind, dead_cause)
SELECT id, event_id, target, kind, key, contact_key, properties, props_hash, mapping_file,
    mapping_hash, state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at,
    done_at, key_kind, dead_cause
FROM outbox ORDER BY id;
DROP TABLE outbox;
ALTER TABLE outbox_new RENAME TO outbox;
CREATE UNIQUE INDEX outbox_once ON outbox (target, kind, key, props_hash);
CREATE INDEX outbox_event ON outbox (event_id);
CREATE INDEX outbox_dead ON outbox (updated_at) WHERE state = 'dead';
CREATE INDEX outbox_claim ON outbox (target, kind) WHERE state = 'pending';
