-- 0019: the deals that wait for a contact the CRM refused.
--
-- A claim of deals walked the pending deals in id order and looked up
-- each one's contact: the deals waiting for a contact the CRM refused
-- (retried with a back-off) are the oldest, so every claim of deals read
-- them all again before the first it could take, its cost growing with
-- what waits. waits marks them: the finish that leaves a contact's
-- operation pending (a retry) marks the pending deals of that contact in
-- one more statement, while it holds the operation's row, so no other
-- finish can end it before the marks are committed; and the finish that
-- ends a contact's last pending operation (done or dead; a give-up, an
-- erase, a replay's drop too) takes its deals' marks off in one more
-- statement, which sees the marks committed before it. A revived
-- operation is pending again without it. The claim of deals reads
-- outbox_ready, which leaves the marked ones out, and still asks of each
-- row whether its contact is pending: the mark only spares the look, it
-- never lets a deal go before its contact. A lead whose contact is sent
-- at the first try writes no mark. No trigger: a row trigger doing this
-- cost 1.5 ms a contact finished (2026-12-07). outbox_deal_contact finds
-- a contact's pending deals.
ALTER TABLE outbox ADD COLUMN waits boolean NOT NULL DEFAULT false;
CREATE INDEX outbox_ready ON outbox (target, kind, id) WHERE state = 'pending' AND NOT waits;
CREATE INDEX outbox_deal_contact ON outbox (target, contact_key) WHERE state = 'pending' AND kind = 'deal';
