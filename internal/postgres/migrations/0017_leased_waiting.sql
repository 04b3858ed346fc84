-- 0017: the operations under a lease, and the quarantined bodies that
-- wait for a person, each in a partial index of their own.
--
-- A sync run that found nothing left due records itself as the last sync
-- unless a lease holds a pending operation of its CRM (SetLastSyncDrained),
-- and the daemon counts the quarantined bodies that wait every 15 s on
-- every instance. Neither had an index to seek: the first read every
-- pending operation (or, planned generically, walked the whole outbox),
-- the second every quarantined body kept, at each call. A lease is set
-- by a claim and ended (NULL) by its finish, so the first index holds the
-- operations being sent and those of an instance that died sending them,
-- a handful; the second's condition is the count's, word for word
-- (storesql.QuarantineWaits), as 0011's is for the unmappable leads.
CREATE INDEX IF NOT EXISTS outbox_leased ON outbox (target, lease_until)
    WHERE state = 'pending' AND lease_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS quarantine_waiting ON quarantine (source)
    WHERE resolved_at IS NULL AND erased_at IS NULL AND purged_at IS NULL;
