-- 0001: the whole first schema. Timestamps are TEXT in syncd.TimeFormat
-- (UTC, fixed width) so that text order is time order.

-- events: every authenticated delivery that parsed (strictly or leniently).
CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    source           TEXT    NOT NULL,              -- configured source name
    kind             TEXT    NOT NULL,              -- lokalebasen | eaf
    type             TEXT    NOT NULL,              -- event_type / eaf_type; '' when absent
    idem_key         TEXT    NOT NULL,              -- eaf:<eaf_id> | sha256:<canonical JSON hash>
    body             BLOB    NOT NULL,              -- raw bytes as received
    payload          TEXT,                          -- standardised JSON when parse = 'lenient'; NULL otherwise
    parse            TEXT    NOT NULL,              -- strict | lenient
    received_at      TEXT    NOT NULL,
    last_delivery_at TEXT    NOT NULL,
    deliveries       INTEGER NOT NULL DEFAULT 1,
    remote_addr      TEXT    NOT NULL DEFAULT '',
    map_state        TEXT    NOT NULL DEFAULT 'pending', -- pending | mapped | ignored | unmappable
    map_error        TEXT    NOT NULL DEFAULT '',
    mapped_at        TEXT,
    erased_at        TEXT                           -- set when one person's data was erased from body/payload
) STRICT;
CREATE INDEX events_idem ON events (source, idem_key, received_at);
CREATE INDEX events_received ON events (received_at);
CREATE INDEX events_pending ON events (id) WHERE map_state = 'pending';

-- quarantine: authenticated bodies that did not parse even leniently.
CREATE TABLE quarantine (
    id                INTEGER PRIMARY KEY,
    source            TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    body              BLOB    NOT NULL,
    body_sha256       TEXT    NOT NULL,
    reason            TEXT    NOT NULL,
    received_at       TEXT    NOT NULL,
    last_delivery_at  TEXT    NOT NULL,
    deliveries        INTEGER NOT NULL DEFAULT 1,
    remote_addr       TEXT    NOT NULL DEFAULT '',
    resolved_event_id INTEGER REFERENCES events (id),
    resolved_at       TEXT
) STRICT;
CREATE INDEX quarantine_sha ON quarantine (source, body_sha256);
CREATE INDEX quarantine_received ON quarantine (received_at);

-- outbox: CRM operations mapped from events, delivered by the syncer.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events (id),
    target          TEXT    NOT NULL,              -- hubspot | pipedrive | dryrun
    kind            TEXT    NOT NULL,              -- contact | deal
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
    done_at         TEXT
) STRICT;
CREATE UNIQUE INDEX outbox_once ON outbox (target, kind, key, props_hash);
CREATE INDEX outbox_due ON outbox (target, state, next_attempt_at);
CREATE INDEX outbox_event ON outbox (event_id);

-- crm_links: CRM ids as soon as they are known, per (target, kind, key).
CREATE TABLE crm_links (
    target     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    key        TEXT NOT NULL,
    crm_id     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (target, kind, key)
) STRICT, WITHOUT ROWID;

-- reports: one row per daily workbook made, with its mail delivery.
CREATE TABLE reports (
    day           TEXT    PRIMARY KEY,             -- YYYY-MM-DD in the report time zone
    path          TEXT    NOT NULL,
    created_at    TEXT    NOT NULL,
    leads         INTEGER NOT NULL DEFAULT 0,
    mail_state    TEXT    NOT NULL DEFAULT 'none', -- none | pending | sent | failed
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    mail_error    TEXT    NOT NULL DEFAULT '',
    mailed_at     TEXT
) STRICT;

-- state: small named values that must survive a restart (adapter pauses,
-- last successful sync, ...).
CREATE TABLE state (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
