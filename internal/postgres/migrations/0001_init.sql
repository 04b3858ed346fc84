-- 0001: the whole first schema, the same tables as the SQLite store's with
-- PostgreSQL's types: timestamptz for times, bytea for bodies, identities.

-- events: every authenticated delivery that parsed (strictly or leniently).
CREATE TABLE events (
    id               bigserial   PRIMARY KEY,
    source           text        NOT NULL,
    kind             text        NOT NULL,
    type             text        NOT NULL,
    idem_key         text        NOT NULL,
    body             bytea       NOT NULL,
    payload          bytea,                     -- standardised JSON when parse = 'lenient'
    parse            text        NOT NULL,
    received_at      timestamptz NOT NULL,
    last_delivery_at timestamptz NOT NULL,
    deliveries       integer     NOT NULL DEFAULT 1,
    remote_addr      text        NOT NULL DEFAULT '',
    map_state        text        NOT NULL DEFAULT 'pending',
    map_error        text        NOT NULL DEFAULT '',
    mapped_at        timestamptz,
    erased_at        timestamptz
);
CREATE INDEX events_received ON events (received_at);
CREATE INDEX events_pending ON events (id) WHERE map_state = 'pending';

-- intake_keys: the newest event of each idempotency key. Every instance's
-- intake inserts here with ON CONFLICT: a key seen within the duplicate
-- window makes the delivery a duplicate, whichever instance stored it first.
CREATE TABLE intake_keys (
    source      text        NOT NULL,
    idem_key    text        NOT NULL,
    event_id    bigint      NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (source, idem_key)
);

-- quarantine: authenticated bodies that did not parse even leniently.
CREATE TABLE quarantine (
    id                bigserial   PRIMARY KEY,
    source            text        NOT NULL,
    kind              text        NOT NULL,
    body              bytea       NOT NULL,
    body_sha256       text        NOT NULL,
    reason            text        NOT NULL,
    received_at       timestamptz NOT NULL,
    last_delivery_at  timestamptz NOT NULL,
    deliveries        integer     NOT NULL DEFAULT 1,
    remote_addr       text        NOT NULL DEFAULT '',
    resolved_event_id bigint REFERENCES events (id),
    resolved_at       timestamptz
);
CREATE INDEX quarantine_sha ON quarantine (source, body_sha256);
CREATE INDEX quarantine_received ON quarantine (received_at);

-- outbox: CRM operations mapped from events, delivered by the syncer.
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    event_id        bigint      NOT NULL REFERENCES events (id),
    target          text        NOT NULL,
    kind            text        NOT NULL,
    key             text        NOT NULL,
    contact_key     text        NOT NULL DEFAULT '',
    properties      text        NOT NULL,      -- JSON object of CRM property -> string
    props_hash      text        NOT NULL,
    mapping_file    text        NOT NULL,
    mapping_hash    text        NOT NULL,
    state           text        NOT NULL DEFAULT 'pending',
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    last_error      text        NOT NULL DEFAULT '',
    crm_id          text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    done_at         timestamptz
);
CREATE UNIQUE INDEX outbox_once ON outbox (target, kind, key, props_hash);
CREATE INDEX outbox_event ON outbox (event_id);
CREATE INDEX outbox_claim ON outbox (target, kind, id) WHERE state = 'pending';
CREATE INDEX outbox_pending_key ON outbox (target, kind, key) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox (updated_at) WHERE state = 'dead';

-- crm_links: CRM ids as soon as they are known, per (target, kind, key).
CREATE TABLE crm_links (
    target     text        NOT NULL,
    kind       text        NOT NULL,
    key        text        NOT NULL,
    crm_id     text        NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (target, kind, key)
);

-- reports: one row per daily workbook made, with its mail delivery.
CREATE TABLE reports (
    day           text        PRIMARY KEY,
    path          text        NOT NULL,
    created_at    timestamptz NOT NULL,
    leads         integer     NOT NULL DEFAULT 0,
    summary       text        NOT NULL DEFAULT '',
    mail_state    text        NOT NULL DEFAULT 'none',
    mail_attempts integer     NOT NULL DEFAULT 0,
    mail_error    text        NOT NULL DEFAULT '',
    mailed_at     timestamptz
);

-- state: small named values that must survive a restart.
CREATE TABLE state (
    name       text        PRIMARY KEY,
    value      text        NOT NULL,
    updated_at timestamptz NOT NULL
);

-- instances: every running syncd on this database, seen by its heartbeat,
-- with the parts it leads (for syncd status).
CREATE TABLE instances (
    id         text        PRIMARY KEY,
    host       text        NOT NULL,
    pid        integer     NOT NULL,
    listen     text        NOT NULL DEFAULT '',
    started_at timestamptz NOT NULL,
    seen_at    timestamptz NOT NULL,
    leads      text        NOT NULL DEFAULT ''
);
