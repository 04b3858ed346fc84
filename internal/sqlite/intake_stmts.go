package sqlite

import (
	"context"
	"database/sql"
	"fmt"
)

// intakeStmts are the writer's statements. Preparing them once saves
// SQLite parsing the same SQL for every delivery.
type intakeStmts struct {
	insertEvent, countEvent, findSealed, findSealedIn *sql.Stmt
	catchUp                                           *sql.Stmt
	findQuarantine, countQuarantine, insertQuarantine *sql.Stmt
}

func (in *Intake) prepare(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		// On the pool, not on the writer's own connection: database/sql
		// prepares a statement bound to a Conn again in every transaction.
		s, perr := in.db.w.PrepareContext(ctx, q)
		if perr != nil && err == nil {
			err = fmt.Errorf("prepare intake: %w", perr)
		}
		return s
	}
	st := intakeStmts{
		insertEvent: prep(`INSERT INTO events (source, kind, type, idem_key, body, payload, parse,
			received_at, last_delivery_at, remote_addr, map_state, map_error)
			VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11)`),
		// The stored document when the body differs from ?3 (the delivery's),
		// to compare their meaning; NULL when equal or the body is gone.
		countEvent: prep(`UPDATE events SET deliveries = deliveries + 1, last_delivery_at = ?1 WHERE id = ?2
			RETURNING CASE WHEN body = ?3 OR length(body) = 0 THEN NULL ELSE coalesce(payload, body) END`),
		findSealed: prep(`SELECT event_id, received FROM (SELECT event_id, received FROM seen_keys WHERE hash = ?1
			UNION ALL SELECT event_id, received FROM seen_keys_new WHERE hash = ?1) ORDER BY event_id DESC LIMIT 1`),
		findSealedIn: prep(`SELECT s.hash, s.event_id, s.received FROM json_each(?1) AS k
			JOIN seen_keys AS s ON s.hash = k.value
			UNION ALL SELECT s.hash, s.event_id, s.received FROM json_each(?1) AS k
			JOIN seen_keys_new AS s ON s.hash = k.value`),
		catchUp: prep(catchUpSQL),
		findQuarantine: prep(`SELECT id, resolved_event_id FROM quarantine WHERE source = ? AND body_sha256 = ? AND received_at >= ?
			ORDER BY id LIMIT 1`),
		countQuarantine: prep(`UPDATE quarantine SET deliveries = deliveries + 1, last_delivery_at = ? WHERE id = ?`),
		insertQuarantine: prep(`INSERT INTO quarantine (source, kind, body, body_sha256, reason,
			received_at, last_delivery_at, remote_addr, changed_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8)`),
	}
	if err != nil {
		st.close()
		return err
	}
	in.stmts = st
	return nil
}

// close releases the prepared statements.
func (st intakeStmts) close() {
	for _, s := range []*sql.Stmt{st.insertEvent, st.countEvent, st.findSealed, st.findSealedIn, st.catchUp, st.findQuarantine, st.countQuarantine, st.insertQuarantine} {
		if s != nil {
			s.Close()
		}
	}
}
