-- 0009: Estate Agent Feeds keys per type (sender/decode.go, Spec.Key).
--
-- A delivery of a type other than a lead's (portal_submission, feed_import)
-- was keyed "eaf:<eaf_id>", as a lead is; it is "eaf.<type>:<eaf_id>" since,
-- because the sender does not say its ids are unique across types. The
-- events stored before take the key they would have now: otherwise a lead
-- sharing an older submission's id would be a duplicate of it for as long as
-- the duplicate window lasts, and a submission retried across the upgrade
-- (the sender retries for about an hour) would be stored twice. Types that
-- do not look like a type name kept a body hash as key, and are left alone.
--
-- seen_keys holds the old keys' hashes: such a row is a hint that reading
-- the event no longer confirms (seen.go), so it finds nothing. For the new
-- keys to be found, the mark below which seen_keys is trusted goes back to
-- before the first event of the last two days that changed key: the intake
-- reads the events after it again at its start (older ones are past the
-- sender's retries).
CREATE TEMP TABLE rekeyed AS SELECT id, received_at FROM events
WHERE kind = 'eaf' AND substr(idem_key, 1, 4) = 'eaf:' AND type <> 'email_lead'
  AND length(type) BETWEEN 1 AND 64 AND type GLOB '[a-z]*' AND NOT type GLOB '*[^a-z0-9_]*';

UPDATE events SET idem_key = 'eaf.' || type || substr(idem_key, 4)
WHERE id IN (SELECT id FROM rekeyed);

UPDATE state SET value = CAST((SELECT min(id) - 1 FROM rekeyed
    WHERE received_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-2 days')) AS TEXT)
WHERE name = 'seen_keys.through'
  AND CAST(value AS INTEGER) > (SELECT min(id) - 1 FROM rekeyed
    WHERE received_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-2 days'));

DROP TABLE rekeyed;
