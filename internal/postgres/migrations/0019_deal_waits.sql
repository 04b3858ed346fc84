-- 0019: the deals that wait for a contact operation written with them.
--
-- A claim of deals walked the pending deals in id order and looked up
-- each one's contact: the deals waiting for a contact the CRM refused
-- (retried with a back-off) are the oldest, so every claim of deals read
-- them all again before the first it could take, its cost growing with
-- what waits. waits is set on a deal enqueued in the transaction that
-- enqueued an operation of its contact (the mapper's, for a new lead):
-- that operation cannot be claimed, let alone finished, before the deal
-- is committed, so no finish can miss it. It is taken off by the
-- statements that end a contact's last pending operation (the syncer's
-- finish, a give-up, an erase, a replay's drop), each one more
-- statement after its own, which then sees the deals committed before
-- its end; and a revived operation is pending again without it. The
-- claim of deals reads outbox_ready, which leaves them out, and still
-- asks of each row whether its contact is pending: the mark only spares
-- the look, it never lets a deal go before its contact. No trigger: a
-- row trigger doing this cost 1.5 ms a contact finished (2026-12-07).
ALTER TABLE outbox ADD COLUMN waits boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_ready ON outbox (target, kind, id) WHERE state = 'pending' AND NOT waits;
CREATE INDEX outbox_waiting ON outbox (target, contact_key) WHERE state = 'pending' AND waits;
