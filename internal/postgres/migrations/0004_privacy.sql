-- 0004: what the SQLite store keeps of data protection, so that
-- migrate-store carries it: when a quarantined body was erased or purged,
-- and the erasure audit trail (syncd erase: time, counts and an HMAC of the
-- person's identifier keyed with the salt in state 'privacy.salt'; no
-- personal data).
ALTER TABLE quarantine ADD COLUMN erased_at timestamptz;
ALTER TABLE quarantine ADD COLUMN purged_at timestamptz;

CREATE TABLE erasures (
    id           bigserial   PRIMARY KEY,
    at           timestamptz NOT NULL,
    subject_hash text        NOT NULL,
    events       integer     NOT NULL,
    quarantined  integer     NOT NULL,
    ops          integer     NOT NULL,
    links        integer     NOT NULL,
    crm_ops      integer     NOT NULL,
    intents      integer     NOT NULL DEFAULT 0,
    reports      integer     NOT NULL DEFAULT 0
);
