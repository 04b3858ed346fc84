package storesql

// LeadsOnlyFor counts the leads whose bodies are held (neither erased
// nor purged) that reached target (an operation of theirs done there) and
// have no operation for other, and gives the first of their event ids (0
// when there are none): ?1 is target, ?2 other. The outbox is read by its
// indexes: those of target through outbox_once, each lead's others
// through outbox_event. It tells the leads of a dry run (target dryrun)
// that never went to the CRM configured since (other).
const LeadsOnlyFor = `SELECT count(DISTINCT o.event_id), coalesce(min(o.event_id), 0)
	FROM outbox o JOIN events e ON e.id = o.event_id
	WHERE o.target = ?1 AND o.state = 'done' AND o.kind <> 'erase'
		AND e.erased_at IS NULL AND e.purged_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.event_id = o.event_id AND p.target = ?2)`
