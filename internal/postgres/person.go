package postgres

// This file finds one person for export and erase, as the SQLite
// store does: in the event bodies, the operations' properties and the
// operations' contact keys. The bodies are matched in Go with the
// subject's matcher (a phone may be written with any punctuation), once
// each, not once per form of the identifier in SQL.

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// PersonData returns everything the database holds about s (GDPR Art. 15,
// 20), read in one read-only snapshot: the events that name the person or
// whose operations are keyed by them, the quarantined bodies that name
// them, those events' outbox operations, and the CRM links and create
// intents of their contact keys and deals. Its Searched names the
// snapshot, for Erase to erase what it found and look only at the rows
// stored since. Of a subject given by events (Subject.Events) or by a
// contact name (Subject.Name), it reads those events, the quarantined
// bodies repaired into them, their operations and links.
func (db *DB) PersonData(ctx context.Context, s syncd.Subject) (syncd.PersonData, error) {
	var pd syncd.PersonData
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db.pool, opts, func(tx pgx.Tx) error { return db.personRead(ctx, tx, s, &pd) })
	if err != nil {
		return syncd.PersonData{}, fmt.Errorf("person data: %w", err)
	}
	db.onHostClock(pd.Ops)
	return pd, nil
}

func (db *DB) personRead(ctx context.Context, tx pgx.Tx, s syncd.Subject, pd *syncd.PersonData) error {
	if err := tx.QueryRow(ctx, `SELECT pg_current_snapshot()::text`).Scan(&pd.Searched.Mark); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	ids, err := subjectEvents(ctx, tx, s)
	if err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events WHERE id = ANY($1) ORDER BY id`, ids)
	if err != nil {
		return err
	}
	if pd.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Event, error) { return db.scanEvent(r) }); err != nil {
		return err
	}
	if pd.Quarantined, err = db.subjectQuarantine(ctx, tx, s, ids); err != nil {
		return err
	}
	if pd.Ops, err = queryOps(ctx, tx, `SELECT `+opColumns+` FROM outbox WHERE event_id = ANY($1) ORDER BY id`, ids); err != nil {
		return err
	}
	contacts, deals, err := personKeys(ctx, tx, s.KeyValues(), s.Others, ids)
	if err != nil {
		return err
	}
	if pd.Links, err = personLinks(ctx, tx, contacts, deals); err != nil {
		return err
	}
	if pd.Intents, err = personIntents(ctx, tx, contacts, deals); err != nil {
		return err
	}
	if s.ID == "" { // a name search: no erasure is ever recorded under a name
		return nil
	}
	pd.Erasures, err = db.personErasures(ctx, tx, s)
	return err
}

// personErasures returns the audit entries of the erasures of s, oldest
// first: none when no erase ever ran (there is no salt yet). Their times
// are kept on the server's clock and given on this host's.
func (db *DB) personErasures(ctx context.Context, tx pgx.Tx, s syncd.Subject) ([]syncd.Erasure, error) {
	hashes, err := storesql.AuditHashes(ctx, txRow(tx), s)
	if err != nil || hashes == nil {
		return nil, err
	}
	rows, _ := tx.Query(ctx, `SELECT at, subject_hash, events, quarantined, ops, links, crm_ops, intents
		FROM erasures WHERE subject_hash = ANY($1) ORDER BY at, id`, hashes)
	return db.collectErasures(rows)
}

// personEvents returns the ids of the events, not erased, whose body or
// payload mentions s, or whose outbox operations are keyed by s or name s
// in their properties (kept after the event's body was purged), with the
// purged events of the contacts found so, and the events, erased or not,
// whose type or key names s.
func personEvents(ctx context.Context, tx pgx.Tx, s syncd.Subject) ([]int64, error) {
	m := s.Matcher()
	var bodies []int64
	var id int64
	var body, payload []byte
	rows, _ := tx.Query(ctx, `SELECT id, body, COALESCE(payload, ''::bytea) FROM events WHERE erased_at IS NULL AND length(body) > 0`)
	_, err := pgx.ForEachRow(rows, []any{&id, &body, &payload}, func() error {
		if m.Match(body) || m.Match(payload) {
			bodies = append(bodies, id)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	named, keys, err := mentioningOps(ctx, tx, m)
	if err != nil {
		return nil, err
	}
	keyed, err := int64s(ctx, tx, `SELECT DISTINCT event_id FROM outbox WHERE key = ANY($1) OR contact_key = ANY($1)`, s.KeyValues())
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	// A purged event's body no longer says whose it is: its operations keyed
	// by a contact found above are the person's (a deal holding their name).
	learned, err := int64s(ctx, tx, `SELECT DISTINCT o.event_id FROM outbox o JOIN events e ON e.id = o.event_id
		WHERE e.purged_at IS NOT NULL AND (o.key = ANY($1) OR o.contact_key = ANY($1))`, keys)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	fields, err := fieldEvents(ctx, tx, s)
	if err != nil {
		return nil, err
	}
	ids := slices.Concat(bodies, keyed, named, learned, fields)
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// mentioningOps returns the events of the outbox operations whose
// properties m matches, and the contact keys those operations name (the
// person's contact, keyed by email when found by phone) when their event's
// body was purged.
func mentioningOps(ctx context.Context, tx pgx.Tx, m *syncd.Matcher) (ids []int64, keys []string, err error) {
	var id int64
	var key, props string
	rows, _ := tx.Query(ctx, `SELECT o.event_id,
		CASE WHEN e.purged_at IS NULL THEN '' WHEN o.kind = 'contact' THEN o.key ELSE o.contact_key END, o.properties
		FROM outbox o JOIN events e ON e.id = o.event_id`)
	_, err = pgx.ForEachRow(rows, []any{&id, &key, &props}, func() error {
		if m.Match([]byte(props)) {
			ids = append(ids, id)
			if key != "" && !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("find operations: %w", err)
	}
	return ids, keys, nil
}

// personQuarantine returns the quarantined bodies, not erased, that
// mention s.
func (db *DB) personQuarantine(ctx context.Context, tx pgx.Tx, s syncd.Subject) ([]syncd.Quarantine, error) {
	rows, err := tx.Query(ctx, `SELECT `+quarantineColumns+` FROM quarantine WHERE erased_at IS NULL AND length(body) > 0 ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("find quarantined: %w", err)
	}
	all, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Quarantine, error) { return db.scanQuarantine(r) })
	if err != nil {
		return nil, fmt.Errorf("find quarantined: %w", err)
	}
	m := s.Matcher()
	return slices.DeleteFunc(all, func(q syncd.Quarantine) bool { return !m.Match(q.Body) }), nil
}

// personKeys returns the person's contact keys (those given, and those
// the operations of their events ids used) and the keys of those events'
// deals and of those contacts' (crm_links.contact_key: deals whose
// operations the retention deleted), but for the contacts others (another
// person's lead naming them) and those contacts' deals. It reads the
// operations: call it before they are deleted.
func personKeys(ctx context.Context, tx pgx.Tx, keys, others []string, ids []int64) (contacts, deals []string, err error) {
	others = append([]string{}, others...) // an empty array, not NULL: "<> ALL(NULL)" is never true
	used, err := strs(ctx, tx, `SELECT key FROM outbox WHERE kind = 'contact' AND event_id = ANY($1) AND key <> ALL($2)
		UNION SELECT contact_key FROM outbox WHERE kind = 'deal' AND contact_key <> '' AND event_id = ANY($1)
		AND contact_key <> ALL($2)`, ids, others)
	if err != nil {
		return nil, nil, fmt.Errorf("find links: %w", err)
	}
	contacts = append(used, keys...)
	// The deals made for those contacts whose operations the retention
	// deleted: their links keep the contact's key (crm_links_contact).
	deals, err = strs(ctx, tx, `SELECT key FROM outbox WHERE kind = 'deal' AND event_id = ANY($1)
		AND contact_key <> ALL($2)
		UNION SELECT key FROM crm_links WHERE kind = 'deal' AND contact_key <> '' AND contact_key = ANY($3)`, ids, others, contacts)
	if err != nil {
		return nil, nil, fmt.Errorf("find links: %w", err)
	}
	return contacts, deals, nil
}

// personWhere selects the rows of contact keys $1 and deal keys $2 in
// crm_links or crm_intents.
const personWhere = ` WHERE (kind = 'contact' AND key = ANY($1)) OR (kind = 'deal' AND key = ANY($2))`

func personLinks(ctx context.Context, tx pgx.Tx, contacts, deals []string) ([]syncd.Link, error) {
	rows, _ := tx.Query(ctx, `SELECT target, kind, key, crm_id, updated_at FROM crm_links`+personWhere+` ORDER BY target, kind, key`, contacts, deals)
	links, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Link, error) {
		var l syncd.Link
		var kind string
		err := r.Scan(&l.Target, &kind, &l.Key, &l.CRMID, &l.RecordedAt)
		l.Kind, l.RecordedAt = syncd.RecordKind(kind), l.RecordedAt.UTC()
		return l, err
	})
	if err != nil {
		return nil, fmt.Errorf("find links: %w", err)
	}
	return links, nil
}

func personIntents(ctx context.Context, tx pgx.Tx, contacts, deals []string) ([]syncd.Intent, error) {
	rows, _ := tx.Query(ctx, `SELECT target, kind, key, sent_at FROM crm_intents`+personWhere+` ORDER BY target, kind, key`, contacts, deals)
	intents, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Intent, error) {
		var in syncd.Intent
		var kind string
		err := r.Scan(&in.Target, &kind, &in.Key, &in.SentAt)
		in.Kind, in.SentAt = syncd.RecordKind(kind), in.SentAt.UTC()
		return in, err
	})
	if err != nil {
		return nil, fmt.Errorf("find intents: %w", err)
	}
	return intents, nil
}

func int64s(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]int64, error) {
	rows, _ := tx.Query(ctx, query, args...)
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

func strs(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]string, error) {
	rows, _ := tx.Query(ctx, query, args...)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// ErasuresAt returns the audit entries of the erasures recorded at the
// times at (on the server's clock, as the erasure log keeps them), oldest
// first, their times given on this host's.
func (db *DB) ErasuresAt(ctx context.Context, at []time.Time) ([]syncd.Erasure, error) {
	if len(at) == 0 {
		return nil, nil
	}
	rows, _ := db.pool.Query(ctx, `SELECT at, subject_hash, events, quarantined, ops, links, crm_ops, intents
		FROM erasures WHERE at = ANY($1) ORDER BY at, id`, at)
	return db.collectErasures(rows)
}

// collectErasures reads rows of erasures (at, subject_hash, events,
// quarantined, ops, links, crm_ops, intents), their times given on this
// host's clock.
func (db *DB) collectErasures(rows pgx.Rows) ([]syncd.Erasure, error) {
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Erasure, error) {
		var er syncd.Erasure
		err := r.Scan(&er.At, &er.SubjectHash, &er.Events, &er.Quarantined, &er.Ops, &er.Links, &er.CRMOps, &er.Intents)
		er.At = db.hostTime(er.At)
		return er, err
	})
	if err != nil {
		return nil, fmt.Errorf("erasures: %w", err)
	}
	return out, nil
}
