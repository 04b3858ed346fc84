-- 0014: which event a quarantined body is a changed delivery of.
--
-- A retry under a stored event's delivery id (eaf_id) with another body is
-- kept in the quarantine for a person. Whether a quarantined body was such
-- a changed delivery was judged later by reading it: one that reads was
-- taken for one. So a body kept because an older syncd could not read it
-- (UTF-16, a charset it did not decode), which this syncd reads, repaired
-- with no copy, joined the event of its delivery id without counting its
-- delivery, and status named it a changed delivery. changed_of records the
-- answer when the body is kept: the event's id, or 0 for a body that did
-- not read; NULL only for a body kept by a syncd that does not know this
-- column, judged as before. The bodies kept so far get their answer from
-- their reason, which since changed deliveries were first kept names the
-- event ("changed: sent again with the eaf_id of event N ...", "replaced:
-- the first body of event N ...").
ALTER TABLE quarantine ADD COLUMN changed_of INTEGER;
UPDATE quarantine SET changed_of = CASE
    WHEN reason LIKE 'changed: sent again with the % of event %'
        THEN CAST(substr(reason, instr(reason, ' of event ') + 10) AS INTEGER)
    WHEN reason LIKE 'replaced: the first body of event %'
        THEN CAST(substr(reason, 35) AS INTEGER)
    ELSE 0 END;
