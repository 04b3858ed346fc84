-- 0002: CRM state in fields (as the SQLite store's 0004): what a contact's
-- key is, why syncd dead-lettered an operation, and when a create without a
-- natural unique key was last sent (crm.Guard), apart from crm_links.
ALTER TABLE outbox ADD COLUMN key_kind text NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN dead_cause text NOT NULL DEFAULT '';

CREATE TABLE crm_intents (
    target  text        NOT NULL,
    kind    text        NOT NULL,
    key     text        NOT NULL,
    sent_at timestamptz NOT NULL,
    PRIMARY KEY (target, kind, key)
);
