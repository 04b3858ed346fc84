package storesql

// LeadsOnlyFor counts the leads that reached target (an operation of
// theirs done there) and have no operation for other, the erased left
// out: those whose bodies are held, with the first one's event id, and
// those whose bodies the retention purged, with the last one's (0 when
// none): ?1 is target, ?2 other. The outbox is read by its indexes: those
// of target through outbox_once, each lead's others through outbox_event.
// It tells the leads of a dry run (target dryrun) that never went to the
// CRM configured since (other).
const LeadsOnlyFor = `SELECT count(DISTINCT CASE WHEN e.purged_at IS NULL THEN o.event_id END),
		coalesce(min(CASE WHEN e.purged_at IS NULL THEN o.event_id END), 0),
		count(DISTINCT CASE WHEN e.purged_at IS NOT NULL THEN o.event_id END),
		coalesce(max(CASE WHEN e.purged_at IS NOT NULL THEN o.event_id END), 0)
	FROM outbox o JOIN events e ON e.id = o.event_id
	WHERE o.target = ?1 AND o.state = 'done' AND o.kind <> 'erase' AND e.erased_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.event_id = o.event_id AND p.target = ?2)`
