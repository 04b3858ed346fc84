-- 0020: the claim seeks the operations due, by their due time; the
-- sweep of marks, the deals marked as waiting.
--
-- The claim read outbox_ready (0019), the pending operations not marked
-- as waiting, in id order, and asked each row whether its next attempt
-- had come: the contacts a CRM refused, retried with a back-off, are
-- the oldest pending, so every claim of contacts read them all again
-- (one row and a page of the table each) before the first it could
-- take, its cost growing with what the CRM refuses. outbox_due holds the
-- same operations by target, kind and due time: a claim takes the due
-- ones first due first (then in id order), from the start of the index,
-- and reads none whose time has not come. It replaces outbox_ready,
-- which only the claim read, so an operation's insert, claim and finish
-- write no more index entries than before. An instance not yet upgraded
-- claims the same operations in id order, from outbox_claim, reading the
-- deals marked as waiting again, as before 0019.
DROP INDEX IF EXISTS outbox_ready;
CREATE INDEX outbox_due ON outbox (target, kind, next_attempt_at, id) WHERE state = 'pending' AND NOT waits;

-- A claim of deals that comes up short sweeps, every 10 s at most, the
-- marks no pending contact holds (an older syncd's finish takes none
-- off). It found the marked deals among every pending one: a walk of
-- the whole outbox, or of every pending deal, at each sweep (45-150 ms
-- at 100,000 pending deals, 2026-12-07), in the claim's transaction.
-- outbox_waiting holds the marked deals alone, a handful but where a
-- CRM refuses: an entry is written only where a deal is marked. Its
-- condition names a contact (every marked deal has one) so that only a
-- statement that says so reads it, the sweep: the finish's look at the
-- marked deals of the contacts it ended, which seeks each contact's in
-- outbox_deal_contact, took it instead where the statistics had not seen
-- the marks (as taken before a CRM refused), and read every marked deal
-- at each finish of contacts (2.4 s, 5,000 marked).
CREATE INDEX outbox_waiting ON outbox (id) WHERE state = 'pending' AND kind = 'deal' AND waits AND contact_key <> '';
