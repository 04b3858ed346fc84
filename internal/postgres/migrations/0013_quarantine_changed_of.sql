-- 0013: which event a quarantined body is a changed delivery of (the
-- SQLite store's 0014, which says why).
--
-- changed_of is the event's id, 0 for a body that did not read, NULL for a
-- body kept by an older syncd that does not know this column (an instance
-- of a cluster not upgraded yet), judged as before. The bodies kept so far
-- get their answer from their reason, which names the event.
ALTER TABLE quarantine ADD COLUMN IF NOT EXISTS changed_of bigint;
UPDATE quarantine SET changed_of = CASE
    WHEN reason LIKE 'changed: sent again with the % of event %'
        THEN substring(reason from ' of event ([0-9]+)')::bigint
    WHEN reason LIKE 'replaced: the first body of event %'
        THEN substring(reason from '^replaced: the first body of event ([0-9]+)')::bigint
    ELSE 0 END;
