package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// opColumns are the outbox columns read into a syncd.Op, in opScan's order.
const opColumns = `id, event_id, target, kind, key, contact_key, properties, mapping_file, mapping_hash,
	state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at`

// opPropsHash is the SHA-256 over kind, key, contact key and the sorted
// properties: the same record with the same values is enqueued only once.
// Each field is length-prefixed so that no two different ops share an input.
func opPropsHash(op syncd.Op) string {
	h := sha256.New()
	field := func(s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }
	field(string(op.Kind))
	field(op.Key)
	field(op.ContactKey)
	names := make([]string, 0, len(op.Properties))
	for name := range op.Properties {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		field(name)
		field(op.Properties[name])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// opProps renders properties as a JSON object (never null).
func opProps(props map[string]string) (string, error) {
	if props == nil {
		props = map[string]string{}
	}
	b, err := json.Marshal(props) // encoding/json sorts map keys
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// insertOps inserts ops into the outbox within tx, pending and due at now
// (a time in syncd.TimeFormat). An op whose (target, kind, key, properties)
// is already in the outbox is skipped; inserted counts the new rows.
func insertOps(ctx context.Context, tx *sql.Tx, now string, ops []syncd.Op) (inserted int, err error) {
	if len(ops) == 0 {
		return 0, nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO outbox
		(event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
		 state, attempts, next_attempt_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)
		ON CONFLICT (target, kind, key, props_hash) DO NOTHING`)
	if err != nil {
		return 0, fmt.Errorf("insert ops: %w", err)
	}
	defer stmt.Close()
	for _, op := range ops {
		props, err := opProps(op.Properties)
		if err != nil {
			return inserted, fmt.Errorf("insert ops: %w", err)
		}
		res, err := stmt.ExecContext(ctx, op.EventID, op.Target, string(op.Kind), op.Key, op.ContactKey,
			props, opPropsHash(op), op.MappingFile, op.MappingHash, now, now, now)
		if err != nil {
			return inserted, fmt.Errorf("insert ops: %w", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return inserted, fmt.Errorf("insert ops: %w", err)
		}
		inserted += int(n)
	}
	return inserted, nil
}

// EnqueueOps inserts ops into the outbox in a transaction of its own and
// returns how many were new. The mapper enqueues inside its own transaction;
// this is for tests and tools.
func (db *DB) EnqueueOps(ctx context.Context, ops []syncd.Op) (int, error) {
	tx, err := db.W.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("enqueue ops: %w", err)
	}
	defer tx.Rollback()
	n, err := insertOps(ctx, tx, db.now(), ops)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("enqueue ops: %w", err)
	}
	return n, nil
}

// OpsForEvent returns the outbox operations made from one event, in id order.
func (db *DB) OpsForEvent(ctx context.Context, eventID int64) ([]syncd.Op, error) {
	ops, err := opQuery(ctx, db.R, `SELECT `+opColumns+` FROM outbox WHERE event_id = ? ORDER BY id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("ops for event: %w", err)
	}
	return ops, nil
}

// opQueryer is what opQuery needs: a *sql.DB or a *sql.Tx.
type opQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// opQuery runs a query selecting opColumns and scans every row.
func opQuery(ctx context.Context, q opQueryer, query string, args ...any) ([]syncd.Op, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ops []syncd.Op
	for rows.Next() {
		op, err := opScan(rows)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, rows.Err()
}

// opScan reads one row of opColumns.
func opScan(rows *sql.Rows) (syncd.Op, error) {
	var (
		op                          syncd.Op
		kind, state, props          string
		next, lease, created, updat sql.NullString
	)
	err := rows.Scan(&op.ID, &op.EventID, &op.Target, &kind, &op.Key, &op.ContactKey, &props,
		&op.MappingFile, &op.MappingHash, &state, &op.Attempts, &next, &lease, &op.LastError, &op.CRMID,
		&created, &updat)
	if err != nil {
		return op, err
	}
	op.Kind, op.State = syncd.RecordKind(kind), syncd.OpState(state)
	if err := json.Unmarshal([]byte(props), &op.Properties); err != nil {
		return op, fmt.Errorf("op %d properties: %w", op.ID, err)
	}
	op.NextAttemptAt, op.LeaseUntil = parseTime(next), parseTime(lease)
	op.CreatedAt, op.UpdatedAt = parseTime(created), parseTime(updat)
	return op, nil
}
