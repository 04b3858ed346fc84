package storesql

// QuarantineWaits is the condition of a quarantined body that waits for a
// person (syncd.Quarantine.Waits): resolved_at is set by a repair and by a
// dismissal alike.
const QuarantineWaits = `resolved_at IS NULL AND erased_at IS NULL AND purged_at IS NULL`

// QuarantineWhere is where (a store's WHERE clause of an event filter, with
// its leading space, or "") with QuarantineWaits added when waiting.
func QuarantineWhere(where string, waiting bool) string {
	switch {
	case !waiting:
		return where
	case where == "":
		return ` WHERE ` + QuarantineWaits
	}
	return where + ` AND ` + QuarantineWaits
}

// QuarantineWaitingSQL counts the quarantined bodies that wait for a
// person by source.
const QuarantineWaitingSQL = `SELECT source, count(*) FROM quarantine WHERE ` + QuarantineWaits + ` GROUP BY source`
