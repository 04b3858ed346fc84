package storesql

// DropErasureIDs returns the statements that drop the identifiers of the
// erasures made before cut (syncd.Retention.Erasures), to run in one
// transaction: the audit's subject hash, and the 16 hex digits of it that
// the key of a CRM erasure's event carries (the event then keyed by its
// id; it was made in the erasure's transaction, at its time). The audit
// entries stay, with their times and counts; n is set to how many lost
// their hash.
func DropErasureIDs(d Dialect, n *int, cut any) []Step {
	return []Step{
		{nil, d(`UPDATE events SET idem_key = 'erasure:' || id
			WHERE received_at IN (SELECT at FROM erasures WHERE at < ?1 AND subject_hash <> '')
			AND source = 'syncd' AND kind = 'erasure'`), []any{cut}},
		{n, d(`UPDATE erasures SET subject_hash = '' WHERE at < ?1 AND subject_hash <> ''`), []any{cut}},
	}
}
