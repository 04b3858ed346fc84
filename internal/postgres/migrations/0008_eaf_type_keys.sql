-- 0008: Estate Agent Feeds keys per type (sender/decode.go, Spec.Key).
--
-- A delivery of a type other than a lead's (portal_submission, feed_import)
-- was keyed "eaf:<eaf_id>", as a lead is; it is "eaf.<type>:<eaf_id>" since,
-- because the sender does not say its ids are unique across types. The
-- events stored before, and their keys in the duplicate window, take the key
-- they would have now: otherwise a lead sharing an older submission's id
-- would be a duplicate of it for as long as the window lasts, and a
-- submission retried across the upgrade (the sender retries for about an
-- hour) would be stored twice. Types that do not look like a type name kept
-- a body hash as key, and are left alone. A window key already taken by the
-- new form (the retry came in first) stays as it is.
WITH rekeyed AS (
    SELECT id, 'eaf.' || type || substr(idem_key, 4) AS idem_key FROM events
    WHERE kind = 'eaf' AND starts_with(idem_key, 'eaf:') AND type <> 'email_lead'
      AND type ~ '^[a-z][a-z0-9_]{0,63}$'
), windowed AS (
    UPDATE intake_keys k SET idem_key = r.idem_key FROM rekeyed r
    WHERE k.event_id = r.id AND NOT EXISTS (
        SELECT 1 FROM intake_keys n WHERE n.source = k.source AND n.idem_key = r.idem_key)
)
UPDATE events e SET idem_key = r.idem_key FROM rekeyed r WHERE e.id = r.id;
