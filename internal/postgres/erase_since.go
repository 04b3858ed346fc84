package postgres

// This file is erase's look at what was stored since its read: erase
// erases what PersonData found, by id, and refuses when rows that name
// the person were stored (or changed) since, which its read did not see.
// Ids do not tell those rows: a sequence hands out ids in the order
// transactions ask, not in the order they commit. The row versions do:
// those the read's snapshot does not see.

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// unseen is the condition on the rows of table alias t whose version the
// snapshot $1 (pg_current_snapshot() as text) does not see: stored or
// changed since. $2 is how many transactions ago the snapshot's oldest
// began (snapshotAge): a row written longer ago (its xmin's age is more)
// is seen, which age(), cheap, tells of nearly every row. Of the others,
// xmin, a 32-bit transaction id, is widened to the snapshot's 64 bits about
// the current transaction's, as the nearest.
func unseen(t string) string {
	cur := `pg_current_xact_id()::text::bigint`
	x := t + `.xmin::text::bigint`
	return `CASE WHEN age(` + t + `.xmin) > $2 THEN false ELSE NOT pg_visible_in_snapshot((` + cur + ` + ((((` + x + ` - (` + cur + ` & 4294967295)
		+ 2147483648) % 4294967296) + 4294967296) % 4294967296 - 2147483648))::text::xid8, $1::pg_snapshot) END`
}

// snapshotAge returns how many transactions ago the oldest transaction
// snapshot mark did not see began, counted from tx's own (which it gives
// an id, as age() counts from it).
func snapshotAge(ctx context.Context, tx pgx.Tx, mark string) (int64, error) {
	var age int64
	err := tx.QueryRow(ctx, `SELECT pg_current_xact_id()::text::bigint - pg_snapshot_xmin($1::pg_snapshot)::text::bigint`, mark).Scan(&age)
	return age, err
}

// storedSince returns a syncd.EChanged error when rows stored since found
// was read name s: events or quarantined bodies that mention the person,
// operations whose properties do, keyed by s.Keys, or of the events found
// (a lead mapped since: its contact may be another's). Rows found that
// changed since (a duplicate delivery, an operation delivered) are not.
func storedSince(ctx context.Context, tx pgx.Tx, s syncd.Subject, found syncd.PersonData) error {
	mark := found.Searched.Mark
	if mark == "" {
		mark = "3:3:" // nothing read: a snapshot that sees no transaction
	}
	age, err := snapshotAge(ctx, tx, mark)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	m := s.Matcher()
	var ids []int64
	for _, e := range found.Events {
		ids = append(ids, e.ID)
	}
	events, err := unseenMatching(ctx, tx, `SELECT id, body, COALESCE(payload, ''::bytea) FROM events e
		WHERE erased_at IS NULL AND length(body) > 0 AND `+unseen("e"), mark, age, ids, m)
	if err != nil {
		return fmt.Errorf("find events: %w", err)
	}
	var qids []int64
	for _, q := range found.Quarantined {
		qids = append(qids, q.ID)
	}
	quarantined, err := unseenMatching(ctx, tx, `SELECT id, body, ''::bytea FROM quarantine q
		WHERE erased_at IS NULL AND length(body) > 0 AND `+unseen("q"), mark, age, qids, m)
	if err != nil {
		return fmt.Errorf("find quarantined: %w", err)
	}
	ops, err := unseenOps(ctx, tx, s, mark, age, found.Ops, ids)
	if err != nil {
		return err
	}
	if n := events + quarantined + ops; n > 0 {
		return syncd.ErrStoredSince(events, quarantined, ops)
	}
	return nil
}

// unseenMatching counts the rows (id, body, payload) query returns for
// snapshot mark (and its age) that m matches, but for those of found.
func unseenMatching(ctx context.Context, tx pgx.Tx, query, mark string, age int64, found []int64, m *syncd.Matcher) (int, error) {
	var id int64
	var body, payload []byte
	n := 0
	rows, _ := tx.Query(ctx, query, mark, age)
	_, err := pgx.ForEachRow(rows, []any{&id, &body, &payload}, func() error {
		if !slices.Contains(found, id) && (m.Match(body) || m.Match(payload)) {
			n++
		}
		return nil
	})
	return n, err
}

// unseenOps counts the operations snapshot mark (of age) did not see, but for
// those found, that name s in their properties, are keyed by s.Keys, or
// belong to the events ids.
func unseenOps(ctx context.Context, tx pgx.Tx, s syncd.Subject, mark string, age int64, found []syncd.Op, ids []int64) (int, error) {
	var id, event int64
	var key, contactKey, props string
	n := 0
	m := s.Matcher()
	rows, _ := tx.Query(ctx, `SELECT id, event_id, key, contact_key, properties FROM outbox o WHERE `+unseen("o"), mark, age)
	_, err := pgx.ForEachRow(rows, []any{&id, &event, &key, &contactKey, &props}, func() error {
		if slices.ContainsFunc(found, func(op syncd.Op) bool { return op.ID == id }) {
			return nil
		}
		if slices.Contains(ids, event) || s.HasKey(key) || s.HasKey(contactKey) || m.Match([]byte(props)) {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("find operations: %w", err)
	}
	return n, nil
}
