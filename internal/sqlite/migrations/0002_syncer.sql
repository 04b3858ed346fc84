-- 0002: indexes for the syncer's claim (sqlite/outbox.go, opClaim), which
-- names them with INDEXED BY. Both hold pending rows only, so they stay
-- small however long the outbox's history grows.
--
-- outbox_claim walks the pending operations of one target and one kind in
-- id (rowid) order: claims go oldest first, without a sort, and a claim of
-- contacts no longer walks past every pending deal (outbox_due has no kind).
CREATE INDEX outbox_claim ON outbox (target, kind) WHERE state = 'pending';
-- outbox_pending_key answers "is an older operation on this record (or on
-- this deal's contact) still pending?" with one probe.
CREATE INDEX outbox_pending_key ON outbox (target, kind, key) WHERE state = 'pending';
