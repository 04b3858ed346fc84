package storesql

import (
	"context"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

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

// QueueCRMErase puts into the outbox, for target, the operations that
// erase the person's records known by links and the deals of dealKeys
// (syncd.EraseOps: one per contact, the deals on the first, or on one of
// their own when no contact is known, each with person sealed), through
// insert, the store's own insertion of operations, and
// returns how many it queued. The syncer sends them like any other
// operation, with retries and dead letters.
//
// Outbox operations belong to an event; an erasure is not one, so it gets
// a row of its own in events that holds no personal data: source "syncd",
// kind "erasure", already erased and never mapped, received at (the
// store's time of the erasure), keyed by the first 16 hex digits of the
// audit's subjectHash and stamp (at as the store writes it), which
// DropErasureIDs drops with the hash.
func QueueCRMErase(ctx context.Context, d Dialect, q QueryRow, target string, links []syncd.Link, dealKeys []string, person syncd.PersonKeys, subjectHash, stamp string, at any,
	insert func([]syncd.Op) (int, error)) (int, error) {
	ops := syncd.EraseOps(links, target, person, dealKeys)
	if len(ops) == 0 {
		return 0, nil
	}
	var event int64
	err := q(ctx, d(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at,
		last_delivery_at, map_state, mapped_at, erased_at) VALUES ('syncd', 'erasure', 'erase', ?1, ?2, 'strict', ?3, ?3, 'ignored', ?3, ?3)
		RETURNING id`), "erasure:"+subjectHash[:16]+":"+stamp, []byte{}, at).Scan(&event)
	if err != nil {
		return 0, fmt.Errorf("queue crm erase: %w", err)
	}
	for i := range ops {
		ops[i].EventID = event
	}
	return insert(ops)
}
