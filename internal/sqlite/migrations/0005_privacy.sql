-- 0005: data protection (sqlite/erase.go, sqlite/retention.go).
--
-- An erased or purged event keeps its row without personal data: source,
-- kind, type, times and the idempotency key (eaf:<id> or a SHA-256), so that
-- a retried delivery is still a duplicate and the days' counts survive. Its
-- body becomes empty and its payload and mapping error NULL / ''.
ALTER TABLE events ADD COLUMN purged_at TEXT;   -- body dropped by retention
ALTER TABLE quarantine ADD COLUMN erased_at TEXT; -- body dropped by syncd erase
ALTER TABLE quarantine ADD COLUMN purged_at TEXT; -- body dropped by retention

-- erasures: the audit trail of syncd erase, without personal data: the
-- subject is an HMAC-SHA256 of the identifier keyed with the salt kept in
-- state ('privacy.salt'), so the same person erased twice has the same hash
-- but the hash alone names nobody.
CREATE TABLE erasures (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    subject_hash TEXT    NOT NULL,
    events       INTEGER NOT NULL,
    quarantined  INTEGER NOT NULL,
    ops          INTEGER NOT NULL,
    links        INTEGER NOT NULL,
    crm_ops      INTEGER NOT NULL,
    intents      INTEGER NOT NULL DEFAULT 0,
    reports      INTEGER NOT NULL DEFAULT 0
) STRICT;
