package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// writeStmts are the statements the syncer runs for every operation (and
// the erasure's insertOps; the mapper has its own, rawMapStmts), prepared once on the writer connection when the
// database opens and used inside transactions with tx.StmtContext (which
// reuses the connection's prepared statement), so SQLite does not parse the
// same SQL again for every row.
type writeStmts struct {
	insertOp, reinsertOp, finishOp, setLink *sql.Stmt
	// claimOps leases due operations (opClaim): ?1 lease end, ?2 now,
	// ?3 target, ?4 kind, ?5 limit. Held, as SQLite takes about half a
	// millisecond to prepare it.
	claimOps *sql.Stmt
	// claimBehind leases the updates behind the contacts claimOps
	// leased (behindHeadSQL): ?1 lease end, ?2 now, ?3 their ids as a
	// JSON array.
	claimBehind *sql.Stmt
}

func (db *DB) prepareWrites(ctx context.Context) error {
	var err error
	prep := func(q string) *sql.Stmt {
		s, perr := db.w.PrepareContext(ctx, q)
		if perr != nil && err == nil {
			err = fmt.Errorf("prepare: %w", perr)
		}
		return s
	}
	db.ws = writeStmts{
		insertOp:   prep(insertOpSQL),
		reinsertOp: prep(reinsertOpSQL),
		finishOp: prep(`UPDATE outbox SET state = ?1, attempts = ?2, next_attempt_at = ?3,
			last_error = ?4, crm_id = ?5, lease_until = NULL, updated_at = ?6,
			done_at = CASE WHEN ?1 = 'done' THEN ?6 ELSE done_at END,
			dead_cause = CASE WHEN ?1 = 'dead' OR ?8 = 'deleted_in_crm' THEN ?8 ELSE '' END
			WHERE id = ?7 AND state = 'pending'`),
		setLink: prep(`INSERT INTO crm_links (target, kind, key, crm_id, updated_at, contact_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
			ON CONFLICT (target, kind, key) DO UPDATE SET crm_id = excluded.crm_id,
				updated_at = CASE WHEN crm_id <> excluded.crm_id THEN excluded.updated_at ELSE updated_at END,
				contact_key = CASE WHEN excluded.contact_key <> '' THEN excluded.contact_key ELSE contact_key END
			WHERE crm_id <> excluded.crm_id OR (excluded.contact_key <> '' AND contact_key <> excluded.contact_key)`),
		claimOps: prep(`UPDATE outbox SET lease_until = ?1, attempts = attempts + 1, updated_at = ?2
			WHERE id IN (
				SELECT o.id FROM outbox o INDEXED BY outbox_claim
				WHERE o.target = ?3 AND o.kind = ?4 AND o.state = 'pending' AND o.next_attempt_at <= ?2
				  AND (o.lease_until IS NULL OR o.lease_until <= ?2)
				  AND ` + waitsBehindNone + `
				ORDER BY o.id
				LIMIT ?5)
			RETURNING ` + claimColumns),
		claimBehind: prep(`UPDATE outbox SET lease_until = ?1, attempts = attempts + 1, updated_at = ?2
			WHERE id IN (` + behindHeadSQL + `)
			RETURNING ` + claimColumns),
	}
	if err != nil {
		db.ws.close()
	}
	return err
}

// setMapStateSQL records an event's mapping: ?1 state, ?2 error, ?3 now,
// ?4 event id. It changes no row of an event erased or purged.
const setMapStateSQL = `UPDATE events SET map_state = ?, map_error = ?, mapped_at = ?
	WHERE id = ? AND erased_at IS NULL AND purged_at IS NULL`

// insertOpSQL enqueues one operation, pending and due at once: ?1 event
// id, ?2 target, ?3 kind, ?4 key, ?5 contact key, ?6 properties, ?7 their
// hash, ?8 mapping file, ?9 its hash, ?10-?12 now, ?13 key kind. The same
// work already in the outbox is skipped; reinsertOpSQL then looks again.
const insertOpSQL = `INSERT INTO outbox
	(event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
	 state, attempts, next_attempt_at, created_at, updated_at, key_kind)
	VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'pending', 0, ?10, ?11, ?12, ?13)
	ON CONFLICT (target, kind, key, props_hash) DO NOTHING`

// reinsertOpSQL, run with insertOpSQL's arguments where insertOpSQL found
// the operation's hash in the outbox already, enqueues it under the hash
// followed by ":" and the event's id when another event's operation on the
// record has that hash and the record's newest operation another: the
// record's properties changed back (a company A, then B, then A again:
// the third was skipped as the first's, and the CRM kept B). So a
// record's properties are enqueued again once others were enqueued since,
// not while they are its newest, and an event mapped again (a replay)
// enqueues nothing it did before, whatever came after it. Run only on a
// conflict: in the insert itself these reads doubled the mapper's store
// time per lead (BenchmarkOutboxCycle), most operations being new.
const reinsertOpSQL = `INSERT INTO outbox
	(event_id, target, kind, key, contact_key, properties, props_hash, mapping_file, mapping_hash,
	 state, attempts, next_attempt_at, created_at, updated_at, key_kind)
	SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 || ':' || ?1, ?8, ?9, 'pending', 0, ?10, ?11, ?12, ?13
	WHERE ` + changedBackSQL + `
	ON CONFLICT (target, kind, key, props_hash) DO NOTHING`

// changedBackSQL holds for an operation (?1 event id, ?2 target, ?3 kind,
// ?4 key, ?7 its properties' hash) whose hash another event's operation on
// the record has, while the record's newest operation has another.
const changedBackSQL = `EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_once
		WHERE target = ?2 AND kind = ?3 AND key = ?4 AND props_hash = ?7 AND event_id <> ?1)
	AND substr((SELECT props_hash FROM outbox WHERE id = (SELECT max(id) FROM outbox INDEXED BY outbox_once
		WHERE target = ?2 AND kind = ?3 AND key = ?4)), 1, length(?7)) <> ?7`

// opText is insertOpSQL's arguments ?2 to ?13 for op, made and due at now:
// the one place that says which of an op's fields go into which column.
func opText(op *syncd.Op, now string) [12]string {
	props, hash := op.StoredProps()
	return [12]string{op.Target, string(op.Kind), op.Key, op.ContactKey, props, hash,
		op.MappingFile, op.MappingHash, now, now, now, string(op.KeyKind)}
}

// waitsBehindNone holds that the pending operation o waits behind no
// other (what WaitsFor tells of one): the claim takes only such, and
// PendingLeft says when the first of them is due. Both are seeks of the
// record's key in outbox_once, reading the state of the record's
// operations from their rows (migration 0013 says why no index of pending
// keys is kept).
const waitsBehindNone = `NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_once
		WHERE p.target = o.target AND p.kind = o.kind AND p.key = o.key
		AND p.state = 'pending' AND p.id < o.id)
	AND (o.kind <> 'deal' OR o.contact_key = '' OR NOT EXISTS (
		SELECT 1 FROM outbox c INDEXED BY outbox_once
		WHERE c.target = o.target AND c.kind = 'contact' AND c.key = o.contact_key
		AND c.state = 'pending'))`

// behindHeadSQL selects, for the contacts the claim leased (their ids ?3,
// a JSON array), the pending updates of the same contact after each, due
// and under no lease, up to the first that is not: the claim leases them
// with their head, and the syncer sends them as one upsert, their
// properties merged in id order (a broker's address on 270 leads was 270
// upserts in a row, one a batch). One seek of the contact's key in
// outbox_once for each, and, for one with updates behind it, one for
// where its run stops, read once in a materialized CTE: as a subquery of the WHERE
// on the updates, SQLite read it again for each update, the contact's
// pending operations each time, and a claim of a backlog of 4,001 updates
// of one address took 5.6 s on the writer
// (TestClaimFindsWhereAContactsRunStopsOnce). A statement of
// its own, run for contacts only: in claimOps, as a second part of its IN,
// it tripled the claim's CPU (BenchmarkFinishAndClaim).
const behindHeadSQL = `WITH heads AS MATERIALIZED (
	  SELECT h.id, h.target, h.key, coalesce((SELECT min(b.id) FROM outbox b INDEXED BY outbox_once
		WHERE b.target = h.target AND b.kind = 'contact' AND b.key = h.key AND b.state = 'pending' AND b.id > h.id
		  AND (b.next_attempt_at > ?2 OR b.lease_until > ?2)), 9223372036854775807) AS stop
	  FROM outbox h WHERE h.id IN (SELECT value FROM json_each(?3)) AND EXISTS (SELECT 1 FROM outbox n INDEXED BY outbox_once
		WHERE n.target = h.target AND n.kind = 'contact' AND n.key = h.key AND n.state = 'pending' AND n.id > h.id))
	SELECT f.id FROM heads h JOIN outbox f INDEXED BY outbox_once
		ON f.target = h.target AND f.kind = 'contact' AND f.key = h.key
	WHERE f.state = 'pending' AND f.id > h.id AND f.id < h.stop`

func (ws writeStmts) close() {
	for _, s := range []*sql.Stmt{ws.insertOp, ws.reinsertOp, ws.finishOp, ws.setLink, ws.claimOps, ws.claimBehind} {
		if s != nil {
			s.Close()
		}
	}
}

// batchContext is the context for the statements of one of the mapper's or
// the syncer's transactions: ctx without its cancellation, once ctx is
// checked. Given a context that can be cancelled, go-sqlite3 runs every
// Exec on a goroutine of its own and waits for it on a channel, so that it
// can interrupt the statement: a goroutine, a channel and a wake-up for
// each row written, a cost in every one of the daemon's transactions (its
// workers' contexts end on SIGTERM). These transactions last milliseconds
// and the loops around them check ctx between them, so nothing waits long
// for a cancellation.
func batchContext(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}
