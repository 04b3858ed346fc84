package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// opColumns are the outbox columns read into a syncd.Op, in scanOp's order.
const opColumns = `id, event_id, target, kind, key, contact_key, properties, mapping_file, mapping_hash,
	state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at, key_kind, dead_cause`

// opColumnsIn are the outbox columns insertOpSQL and reinsertOpSQL write.
const opColumnsIn = `(event_id, target, kind, key, contact_key, properties,
	props_hash, mapping_file, mapping_hash, next_attempt_at, created_at, updated_at, key_kind)`

// insertOpSQL enqueues one operation: $1 event id, $2 target, $3 kind, $4
// key, $5 contact key, $6 properties, $7 their hash, $8 mapping file, $9
// its hash, $10 due, made and updated, $11 key kind; the same work already
// in the outbox is skipped, and reinsertOpSQL then looks again.
const insertOpSQL = `INSERT INTO outbox ` + opColumnsIn + `
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10, $11)
	ON CONFLICT (target, kind, key, props_hash) DO NOTHING`

// reinsertOpSQL, run with insertOpSQL's arguments where insertOpSQL found
// the operation's hash in the outbox already, enqueues it under the hash
// followed by ":" and the event's id when another event's operation on the
// record has that hash and the record's newest operation another: the
// record's properties changed back (a company A, then B, then A again:
// the third was skipped as the first's, and the CRM kept B). So a
// record's properties are enqueued again once others were enqueued since,
// not while they are its newest, and an event mapped again (a replay)
// enqueues nothing it did before, whatever came after it. The SQLite
// store's reinsertOpSQL is the same rule.
var reinsertOpSQL = `INSERT INTO outbox ` + opColumnsIn + `
	SELECT $1, $2, $3, $4, $5, $6, $7 || ':' || $1::bigint::text, $8, $9, $10, $10, $10, $11
	WHERE ` + changedBack("$7") + `
	ON CONFLICT (target, kind, key, props_hash) DO NOTHING`

// changedBack holds for an operation ($1 event id, $2 target, $3 kind, $4
// key, hash the placeholder of its properties' hash) whose hash another
// event's operation on the record has, while the record's newest
// operation has another.
func changedBack(hash string) string {
	return strings.ReplaceAll(`EXISTS (SELECT 1 FROM outbox
		WHERE target = $2 AND kind = $3 AND key = $4 AND props_hash = HASH AND event_id <> $1::bigint)
	AND (SELECT split_part(props_hash, ':', 1) FROM outbox WHERE target = $2 AND kind = $3 AND key = $4
		ORDER BY id DESC LIMIT 1) <> HASH`, "HASH", hash)
}

// opsEnqueuedSQL is whether an operation ($1 event id, $2 target, $3 kind,
// $4 key, $5 its properties' hash) is in the outbox already, as insertOps
// would skip it: its hash is there, and not changed back to
// (reinsertOpSQL) or enqueued so already.
var opsEnqueuedSQL = `SELECT EXISTS (SELECT 1 FROM outbox
	WHERE target = $2 AND kind = $3 AND key = $4 AND props_hash = $5) AND NOT (` + changedBack("$5") + `
	AND NOT EXISTS (SELECT 1 FROM outbox
		WHERE target = $2 AND kind = $3 AND key = $4 AND props_hash = $5 || ':' || $1::bigint::text))`

// insertOps inserts ops pending, made, updated and due at due (the
// server's clock: serverNow, so that how long the oldest has waited is the
// same on every instance); one already in the outbox (the same target,
// kind, key and properties, unless changed back to: reinsertOpSQL) is skipped. New ones
// notify every instance's syncer at commit.
func insertOps(ctx context.Context, tx pgx.Tx, due time.Time, ops []syncd.Op) (int, error) {
	inserted := 0
	for _, op := range ops {
		props, hash := op.StoredProps()
		args := []any{op.EventID, op.Target, string(op.Kind), op.Key, op.ContactKey, props, hash,
			op.MappingFile, op.MappingHash, due, string(op.KeyKind)}
		tag, err := tx.Exec(ctx, insertOpSQL, args...)
		if err == nil && tag.RowsAffected() == 0 { // its hash is in the outbox: changed back to it?
			tag, err = tx.Exec(ctx, reinsertOpSQL, args...)
		}
		if err != nil {
			return 0, fmt.Errorf("insert ops: %w", err)
		}
		inserted += int(tag.RowsAffected())
	}
	if inserted > 0 {
		if _, err := tx.Exec(ctx, `SELECT pg_notify('syncd_outbox', '')`); err != nil {
			return 0, fmt.Errorf("insert ops: %w", err)
		}
	}
	return inserted, nil
}

// OpsEnqueued reports, for each op, whether the same work is already in the
// outbox (from whichever event), as insertOps would skip it.
func (db *DB) OpsEnqueued(ctx context.Context, ops []syncd.Op) ([]bool, error) {
	known := make([]bool, len(ops))
	for i, op := range ops {
		err := db.pool.QueryRow(ctx, opsEnqueuedSQL,
			op.EventID, op.Target, string(op.Kind), op.Key, op.PropsHash()).Scan(&known[i])
		if err != nil {
			return nil, fmt.Errorf("ops enqueued: %w", err)
		}
	}
	return known, nil
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func queryOps(ctx context.Context, q querier, sql string, args ...any) ([]syncd.Op, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (syncd.Op, error) { return scanOp(r) })
}

// scanOp reads one row of opColumns, after the columns before them that
// first names, if any.
func scanOp(r pgx.Row, first ...any) (syncd.Op, error) {
	var (
		op                 syncd.Op
		kind, state, props string
		keyKind, cause     string
		lease              *time.Time
	)
	err := r.Scan(append(first, &op.ID, &op.EventID, &op.Target, &kind, &op.Key, &op.ContactKey, &props,
		&op.MappingFile, &op.MappingHash, &state, &op.Attempts, &op.NextAttemptAt, &lease, &op.LastError,
		&op.CRMID, &op.CreatedAt, &op.UpdatedAt, &keyKind, &cause)...)
	if err != nil {
		return op, err
	}
	op.Kind, op.State = syncd.RecordKind(kind), syncd.OpState(state)
	op.KeyKind, op.DeadCause = syncd.KeyKind(keyKind), syncd.DeadCause(cause)
	if err := json.Unmarshal([]byte(props), &op.Properties); err != nil {
		return op, fmt.Errorf("op %d properties: %w", op.ID, err)
	}
	op.NextAttemptAt, op.LeaseUntil = op.NextAttemptAt.UTC(), utc(lease)
	op.CreatedAt, op.UpdatedAt = op.CreatedAt.UTC(), op.UpdatedAt.UTC()
	return op, nil
}

// hostTime is t, a time on the database server's clock (a lease's end, a
// next attempt), on this host's: leases and next attempts run on the
// server's clock (serverNow), the one every instance shares, and every
// time a caller compares one with (time.Now, a syncer's clock) or shows
// beside it is this host's, as Instances gives heartbeats. Zero stays zero.
func (db *DB) hostTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(time.Duration(db.skew.Load())).UTC()
}

// onHostClock puts the lease ends, next attempts, creation and update
// times of ops on this host's clock (hostTime).
func (db *DB) onHostClock(ops []syncd.Op) {
	for i := range ops {
		ops[i].CreatedAt = db.hostTime(ops[i].CreatedAt)
		ops[i].UpdatedAt = db.hostTime(ops[i].UpdatedAt)
		ops[i].LeaseUntil = db.hostTime(ops[i].LeaseUntil)
		ops[i].NextAttemptAt = db.hostTime(ops[i].NextAttemptAt)
	}
}

// serverTime is t, a time on this host's clock (a syncer's next attempt),
// on the database server's, as hostTime's inverse. Before, next attempts
// were kept on the clock of the host that wrote them and compared with
// another's: a lead mapped on a host minutes ahead waited those minutes
// for a leader whose clock was right, and a back-off set by a host behind
// was cut short by one ahead.
func (db *DB) serverTime(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.Add(-time.Duration(db.skew.Load())).UTC().Truncate(time.Microsecond)
}

// FinishAndClaimOps records finished as FinishOps does and then, in the same
// transaction, leases up to limit due operations of one kind for target
// until now+lease, counting an attempt on each. An operation is due when
// its time has come, no lease on it runs, no older pending operation writes
// the same record and, for a deal, no operation on its contact is pending:
// contacts go first, whichever instance delivers them. The first due go
// first. A contact's due updates after it come with it, beyond limit
// (claimSQL). It reads the first claimHead*limit due operations, and all
// of them only when none of those could go: it may so take fewer than
// limit while later ones could go, which a next claim takes. Rows another
// instance is claiming are skipped (FOR UPDATE SKIP LOCKED), never waited
// for; if an instance dies mid-call its lease runs out.
func (db *DB) FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	var ops []syncd.Op
	err := db.tx(ctx, "claim ops", func(tx pgx.Tx) error {
		if err := db.finishOps(ctx, tx, finished); err != nil {
			return err
		}
		if limit <= 0 {
			return nil
		}
		var err error
		leaseNow := db.serverNow()
		ops, err = queryOps(ctx, tx, claimHeadSQL, leaseNow.Add(lease), target, string(kind), limit, leaseNow, claimHead*limit)
		if err == nil && len(ops) == 0 { // none at the head could go: all of them
			ops, err = queryOps(ctx, tx, claimSQL, leaseNow.Add(lease), target, string(kind), limit, leaseNow)
		}
		db.onHostClock(ops)
		if err == nil && kind == syncd.RecordDeal && len(ops) < limit {
			err = db.sweepWaits(ctx, tx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}

// claimHead is how many due operations a claim reads, first due first,
// per one it is asked for (claimHeadSQL's $6), before it reads them all: 1,000
// for the syncer's 100. In a backlog the deals whose contacts are pending,
// not yet sent (nothing marks them), are most of the due deals: a claim of
// deals read every one of them, each with a seek of its contact, behind
// the few the contacts just sent let go (0.45-2 s a claim at 105,000
// leads, 2026-12-07), at every claim of deals that found fewer than its
// hundred. It now reads the head alone while the head holds one that can
// go; those further on are due later, and go once the head holds none.
// TestClaimOfDealsReadsTheHead counts the rows it reads.
const claimHead = 10

// claimSQL locks the due rows in a CTE, which PostgreSQL evaluates once
// (a subquery under IN may be run again by some plans, locking more rows
// than the limit), and leases exactly those, with the pending updates of
// each contact among them that come after it, due and under no lease, up
// to the first that is not (behind): the syncer sends a contact's run of
// updates as one upsert, their properties merged in id order. Those wait
// behind their head, which this claim holds, so no other instance's
// claim takes them; they are locked without SKIP LOCKED, as one skipped
// would leave a hole in the run. Leases ($1, $5), next attempts and the
// update time ($5) are on the server's clock (serverNow).
//
// Each look at a due row's own record (waitsBehindNone, behind) is a seek
// of that record's key, whatever the planner's statistics say: a burst of
// pending operations the statistics had not seen yet (a new database, or
// a big day beside a year's history, under autovacuum's 10%) was planned
// as one row, and the look at older pending operations became a walk of
// every pending one of the kind for each due row, 0.8 s a claim of 100
// at 5,000 pending (BenchmarkClaimInstances: a first drain 12 times
// slower than one after ANALYZE); with statistics, behind walked the
// whole table; and the first of a contact's updates not due (b) was
// looked for in id order from the head, past every pending contact.
// (min(b.id + 0): an id no index of ids can give in order.) Each look
// seeks the key in outbox_once (target, kind, key), its other conditions
// one IS TRUE so that no partial index's condition follows from them:
// the statistics never taken (a new database's first burst, before
// autovacuum's first look), PostgreSQL costs a seek of the key in
// outbox_pending_key and a walk of outbox_claim (target, kind, id) by
// the id alike, one row each, and took outbox_claim, the key its filter:
// every pending contact behind each due one, 0.9-2.4 s a claim of
// contacts (BenchmarkClaimInstances -claim.waiting 5000 -claim.never, a
// drain of 97-185 s), and every pending contact for each due deal.
// outbox_once also holds a record's finished operations, those the
// retention keeps, read with its pending ones.
// TestClaimSeeksEachRecord and TestClaimSeeksEachKeyNeverAnalyzed read
// the plans. The deals marked as waiting
// for a contact operation enqueued with them (waits, migration 0019) are
// not read at all (outbox_due leaves them out): the deals waiting for
// contacts a CRM refused, the oldest pending, were read again by every
// claim of deals before the first it could take. An unmarked deal's
// contact is still looked up, so the mark never lets one go first. The
// due rows are taken first due first, then in id order, as outbox_due
// (migration 0020) holds them, so that none whose time has not come is
// read: the contacts a CRM refused, retried with a back-off, were read
// again by every claim of contacts, in id order, before the first it
// could take (TestClaimReadsNoOperationNotDue). Which due row goes first
// is no matter of order between operations: a record's are held in id
// order by waitsBehindNone, a deal behind its contact. A claim reads
// the head of the due rows first (claimHeadSQL, claimHead).
var claimSQL = `
WITH due AS (
  SELECT o.id, o.target, o.key FROM outbox o
  WHERE o.target = $2 AND o.kind = $3 AND o.state = 'pending' AND NOT o.waits AND o.next_attempt_at <= $5
    AND (o.lease_until IS NULL OR o.lease_until <= $5)
    AND ` + claimWaitsBehindNone + `
  ORDER BY o.next_attempt_at, o.id
  LIMIT $4
  FOR UPDATE SKIP LOCKED),
` + claimBehindSQL

// claimHeadSQL is claimSQL reading the first $6 due rows alone (h), each
// then sought by its id and locked as it is taken, in the LATERAL, its
// conditions, asked again of the row once locked, one IS TRUE, so that no
// partial index's condition follows from them (as a join of the head with
// the outbox, the statistics never taken, PostgreSQL read outbox_claim
// whole for each row of the head: 17 s a claim of contacts on
// TestClaimReadsNoOperationNotDue's seed). No sort above the locks: it
// would lock every row of the head (TestClaimSeeksEachRecord). It reads
// each row of the head twice (its index entry's and its own), so a claim
// that reads on past the head is claimSQL's (claimHead).
var claimHeadSQL = `
WITH due AS (
  SELECT o.id, o.target, o.key FROM (SELECT h.id, h.next_attempt_at FROM outbox h
      WHERE h.target = $2 AND h.kind = $3 AND h.state = 'pending' AND NOT h.waits AND h.next_attempt_at <= $5
      ORDER BY h.next_attempt_at, h.id LIMIT $6) h
    CROSS JOIN LATERAL (SELECT o.id, o.target, o.key FROM outbox o
      WHERE o.id = h.id AND (o.target = $2 AND o.kind = $3 AND o.state = 'pending' AND NOT o.waits AND o.next_attempt_at <= $5
        AND (o.lease_until IS NULL OR o.lease_until <= $5)) IS TRUE
        AND ` + claimWaitsBehindNone + `
      FOR UPDATE SKIP LOCKED) o
  ORDER BY h.next_attempt_at, h.id
  LIMIT $4),
` + claimBehindSQL

// claimBehindSQL is the rest of claimSQL and claimHeadSQL after the CTE
// due: a contact's updates behind each due one, and the leases.
const claimBehindSQL = `behind AS (
  SELECT f.id FROM due h CROSS JOIN LATERAL (
    SELECT f.id FROM outbox f
    WHERE f.target = h.target AND f.kind = 'contact' AND f.key = h.key AND (f.state = 'pending' AND f.id > h.id
      AND f.id < coalesce((SELECT min(b.id + 0) FROM outbox b
        WHERE b.target = h.target AND b.kind = 'contact' AND b.key = h.key AND (b.state = 'pending' AND b.id > h.id
          AND (b.next_attempt_at > $5 OR b.lease_until > $5)) IS TRUE), 9223372036854775807)) IS TRUE
    FOR UPDATE) f
  WHERE $3 = 'contact')
UPDATE outbox SET lease_until = $1, attempts = attempts + 1, updated_at = $5
FROM (SELECT id FROM due UNION ALL SELECT id FROM behind) c WHERE outbox.id = c.id
RETURNING outbox.` + opColumns // opColumns starts with id, the one name c shares

// waitsBehindNone holds that the pending operation o waits behind no
// other (what WaitsFor tells of one): the claim takes only such, and
// PendingLeft says when the first of them is due. A deal whose contact
// is pending waits for it; PostgreSQL looks that up per row or hashes the
// pending contacts' keys once, whichever costs less. Else o waits behind
// an older pending operation on its record, looked for by o's key, per
// row: OFFSET 0 keeps PostgreSQL from making that NOT EXISTS a join
// (claimSQL says why), and the CASE, asked in order, spares the look to
// the deals whose contact is pending, all of them in a backlog.
const waitsBehindNone = `CASE WHEN o.kind = 'deal' AND o.contact_key <> '' AND EXISTS (SELECT 1 FROM outbox c
          WHERE c.target = o.target AND c.kind = 'contact' AND c.key = o.contact_key AND c.state = 'pending') THEN false
      ELSE NOT EXISTS (SELECT 1 FROM outbox p WHERE p.target = o.target AND p.kind = o.kind AND p.key = o.key
          AND p.state = 'pending' AND p.id < o.id OFFSET 0) END`

// claimWaitsBehindNone is waitsBehindNone as the claim asks it, with a
// seek of each due deal's contact, never a hash of every pending contact:
// that hash was built at each claim of deals that read a deal not marked
// as waiting, where the statistics counted many pending contacts (as
// autovacuum took them in the middle of a burst), from a walk of the
// whole outbox (2,900 pages, 80-500 ms a claim of deals at 10,000 pending
// and 25,000 dead rows, EXPLAIN ANALYZE in BenchmarkClaimInstances'
// drain): a claim of deals then cost what is pending, and the same drain
// took 6 s or 20-52 s as autovacuum had analyzed the table before the
// drain or not (OFFSET 0 keeps the sublink from becoming a hashed one).
// PendingLeft, which reads every pending operation once, keeps the
// choice. Both looks, at the contact and at an older operation, seek the
// key in outbox_once, the state in an IS TRUE (claimSQL says why).
var claimWaitsBehindNone = strings.NewReplacer(
	`AND c.state = 'pending') THEN false`, `AND (c.state = 'pending') IS TRUE OFFSET 0) THEN false`,
	`AND p.state = 'pending' AND p.id < o.id OFFSET 0`, `AND (p.state = 'pending' AND p.id < o.id) IS TRUE OFFSET 0`).Replace(waitsBehindNone)

// pendingWaitsBehindNone is waitsBehindNone as PendingLeft asks it: the
// look at an older operation of the record seeks its key in outbox_once,
// the state and id in an IS TRUE (claimSQL says why), and the look at a
// deal's contact has its state in one too, PostgreSQL free to hash the
// pending contacts once. Never analyzed, each look walked outbox_claim,
// the key a filter: 19.7-22.4 s for syncd sync's closing count at 20,000
// pending (TestPendingLeftSeeksEachKeyNeverAnalyzed).
var pendingWaitsBehindNone = strings.NewReplacer(
	`AND c.state = 'pending') THEN false`, `AND (c.state = 'pending') IS TRUE) THEN false`,
	`AND p.state = 'pending' AND p.id < o.id OFFSET 0`, `AND (p.state = 'pending' AND p.id < o.id) IS TRUE OFFSET 0`).Replace(waitsBehindNone)

// PendingLeft says how many of target's pending operations no lease holds
// and when the first of them that waits behind no other is due (on this
// host's clock), without reading them: `syncd sync` said so by reading
// every one.
func (db *DB) PendingLeft(ctx context.Context, target string) (syncd.PendingLeft, error) {
	var left syncd.PendingLeft
	var next *time.Time
	if err := db.pool.QueryRow(ctx, pendingLeftSQL, target, db.serverNow()).Scan(&left.Count, &next); err != nil {
		return syncd.PendingLeft{}, fmt.Errorf("pending left: %w", err)
	}
	if next != nil {
		left.NextDue = db.hostTime(next.UTC())
	}
	return left, nil
}

// pendingLeftSQL is PendingLeft's query: $1 the target, $2 now on the
// server's clock, as leases are. One pass over the target's pending
// operations counts them and keeps the earliest next attempt of those
// that wait behind none, each asked of with a seek of its record (and its
// contact) in a pending index: it read them three times, to count them,
// and, for the earliest, once more and into a hash of them (with every
// target's pending contacts) to join against.
var pendingLeftSQL = `SELECT count(*), min(CASE WHEN ` + pendingWaitsBehindNone + ` THEN o.next_attempt_at END)
	FROM outbox o WHERE o.target = $1 AND o.state = 'pending' AND (o.lease_until IS NULL OR o.lease_until <= $2)`

// FinishOps records what became of claimed operations, in one transaction:
// State, Attempts, NextAttemptAt, LastError and CRMID as the caller set
// them, the lease ended, the CRM id of each done one in crm_links. An op
// that is no longer pending is left as it is. The operations are written
// in one statement (finishOpsSQL), their links in another (setLinks).
func (db *DB) FinishOps(ctx context.Context, ops []syncd.Op) error {
	if len(ops) == 0 {
		return nil
	}
	return db.tx(ctx, "finish ops", func(tx pgx.Tx) error { return db.finishOps(ctx, tx, ops) })
}

func (db *DB) finishOps(ctx context.Context, tx pgx.Tx, ops []syncd.Op) error {
	if len(ops) == 0 {
		return nil
	}
	now := db.serverNow() // update times and links: the server's clock
	n := len(ops)
	ids, states, errs, crmIDs, causes := make([]int64, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n), make([]string, 0, n)
	attempts, nexts := make([]int32, 0, n), make([]time.Time, 0, n)
	at := make(map[int64]int, n) // index in ids of each op's outcome
	from := make([]int, 0, n)    // index in ops of each outcome
	// The rows are written, and so locked, in id order: claims are
	// disjoint, but once a lease ran out two runs may finish overlapping
	// rows, and two batches locking them in the orders they were given
	// deadlocked (SQLSTATE 40P01, one of them rolled back).
	order := make([]int, n)
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool { return ops[order[a]].ID < ops[order[b]].ID })
	for _, j := range order {
		op := ops[j]
		switch op.State {
		case syncd.OpDone, syncd.OpPending, syncd.OpDead:
		default:
			return fmt.Errorf("op %d: unknown state %q", op.ID, op.State)
		}
		next := db.serverTime(op.NextAttemptAt) // on the server's clock, as the claim compares it
		if next.IsZero() {
			next = now
		}
		if i, ok := at[op.ID]; ok {
			// An op given twice: one UPDATE a time, the first left it pending
			// only if it was rescheduled, and the second then wrote over it.
			if states[i] == string(syncd.OpPending) {
				states[i], attempts[i], nexts[i], errs[i], crmIDs[i], causes[i] = string(op.State), int32(op.Attempts),
					next.UTC(), op.LastError, op.CRMID, string(op.DeadCause)
				from[i] = j
			}
			continue
		}
		at[op.ID] = len(ids)
		from = append(from, j)
		ids, states, attempts, nexts = append(ids, op.ID), append(states, string(op.State)), append(attempts, int32(op.Attempts)), append(nexts, next.UTC())
		errs, crmIDs, causes = append(errs, op.LastError), append(crmIDs, op.CRMID), append(causes, string(op.DeadCause))
	}
	rows, err := tx.Query(ctx, finishOpsSQL, now, ids, states, attempts, nexts, errs, crmIDs, causes)
	if err != nil {
		return fmt.Errorf("finish %d ops: %w", len(ids), err)
	}
	finished, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("finish %d ops: %w", len(ids), err)
	}
	// An op left out of finished was finished by another run after this
	// one's lease ran out: its record stands, and so does its link. The
	// links are written in the order of ops, as they were.
	linked := make([]int, 0, len(finished))
	for _, id := range finished {
		if op := ops[from[at[id]]]; op.State == syncd.OpDone && op.CRMID != "" {
			linked = append(linked, from[at[id]])
		}
	}
	sort.Ints(linked)
	if err := setLinks(ctx, tx, now, ops, linked); err != nil {
		return err
	}
	// The contacts retried, whose deals wait (markWaits), and those sent
	// or dead, whose deals may wait for none now (clearWaits).
	var retried, ended [2][]string
	for _, id := range finished {
		op := ops[from[at[id]]]
		switch {
		case op.Kind != syncd.RecordContact:
		case op.State == syncd.OpPending:
			retried[0], retried[1] = append(retried[0], op.Target), append(retried[1], op.Key)
		default:
			ended[0], ended[1] = append(ended[0], op.Target), append(ended[1], op.Key)
		}
	}
	if err := markWaits(ctx, tx, retried[0], retried[1]); err != nil {
		return err
	}
	return clearWaits(ctx, tx, ended[0], ended[1])
}

// setLinks records the CRM id of each of ops[j] (done, with a CRM id), j
// in linked, in crm_links as setLink does one after the other, in one
// statement: 100 round trips a batch were some 10-20 ms. A record given
// two CRM ids in one batch (which the syncer does not do) has its links
// written one at a time, in order, so its update time says as it did
// whether its link changed; else one row a record, with the last contact
// key given (setLink keeps a link's contact key when given none).
func setLinks(ctx context.Context, tx pgx.Tx, now time.Time, ops []syncd.Op, linked []int) error {
	type record struct {
		target string
		kind   syncd.RecordKind
		key    string
	}
	first := make(map[record]int, len(linked)) // index in the batch's rows
	mixed := make(map[record]bool)
	var targets, kinds, keys, crmIDs, contacts []string
	for _, j := range linked {
		op := ops[j]
		r := record{op.Target, op.Kind, op.Key}
		contact := storesql.DealContact(op)
		if i, ok := first[r]; ok {
			if crmIDs[i] != op.CRMID {
				mixed[r] = true
			}
			if contact != "" {
				contacts[i] = contact
			}
			continue
		}
		first[r] = len(keys)
		targets, kinds, keys = append(targets, op.Target), append(kinds, string(op.Kind)), append(keys, op.Key)
		crmIDs, contacts = append(crmIDs, op.CRMID), append(contacts, contact)
	}
	if len(mixed) > 0 {
		n := 0
		for i := range keys {
			if !mixed[record{targets[i], syncd.RecordKind(kinds[i]), keys[i]}] {
				targets[n], kinds[n], keys[n], crmIDs[n], contacts[n] = targets[i], kinds[i], keys[i], crmIDs[i], contacts[i]
				n++
			}
		}
		targets, kinds, keys, crmIDs, contacts = targets[:n], kinds[:n], keys[:n], crmIDs[:n], contacts[:n]
		for _, j := range linked {
			if op := ops[j]; mixed[record{op.Target, op.Kind, op.Key}] {
				if err := setLink(ctx, tx, now, op.Target, op.Kind, op.Key, op.CRMID, storesql.DealContact(op)); err != nil {
					return fmt.Errorf("op %d: %w", op.ID, err)
				}
			}
		}
	}
	if len(keys) == 0 {
		return nil
	}
	// The links are written, and so locked, in the order of their keys, as
	// the operations are (finishOps).
	rows := make([]int, len(keys))
	for i := range rows {
		rows[i] = i
	}
	sort.Slice(rows, func(a, b int) bool {
		i, j := rows[a], rows[b]
		return targets[i] < targets[j] || targets[i] == targets[j] && (kinds[i] < kinds[j] || kinds[i] == kinds[j] && keys[i] < keys[j])
	})
	by := func(col []string) []string {
		out := make([]string, len(rows))
		for k, i := range rows {
			out[k] = col[i]
		}
		return out
	}
	if _, err := tx.Exec(ctx, setLinksSQL, now, by(targets), by(kinds), by(keys), by(crmIDs), by(contacts)); err != nil {
		return fmt.Errorf("links of %d ops: %w", len(keys), err)
	}
	return nil
}

// setLinksSQL is setLink's upsert of a link for each record given: $1 now,
// then by record $2 its target, $3 kind, $4 key, $5 CRM id, $6 contact
// key, each record once (an upsert cannot write a row twice).
const setLinksSQL = `INSERT INTO crm_links (target, kind, key, crm_id, updated_at, contact_key)
	SELECT l.target, l.kind, l.key, l.crm_id, $1, l.contact_key
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS l(target, kind, key, crm_id, contact_key)
	ON CONFLICT (target, kind, key) DO UPDATE SET crm_id = excluded.crm_id,
		updated_at = CASE WHEN crm_links.crm_id <> excluded.crm_id THEN excluded.updated_at ELSE crm_links.updated_at END,
		contact_key = CASE WHEN excluded.contact_key <> '' THEN excluded.contact_key ELSE crm_links.contact_key END
	WHERE crm_links.crm_id <> excluded.crm_id OR (excluded.contact_key <> '' AND crm_links.contact_key <> excluded.contact_key)`

// finishOpsSQL records what became of claimed operations, those still
// pending, in one statement, and returns the ids of those it finished: $1
// now, then by operation $2 its id, $3 state, $4 attempts, $5 next
// attempt, $6 last error, $7 CRM id, $8 dead cause. It was one UPDATE an
// operation, and migration 0018's statement trigger (which counts the
// done operations into outbox_done) ran on each, 0.45-0.9 ms a statement:
// now it runs once a batch. Each row is sought by its id alone: a burst
// of pending operations the statistics had not seen yet (a big day beside
// a year's history, under autovacuum's 10%) made a partial index of the
// pending ones look empty, and each finish walked every pending operation
// for its id (8 ms an operation at 8,000 pending, 100 of them a batch).
// The state is tested through an expression (state with an empty string
// appended), the same test, which no partial index answers
// (TestHotStatementsSeekWhateverTheStatistics).
const finishOpsSQL = `UPDATE outbox o SET state = f.state, attempts = f.attempts, next_attempt_at = f.next,
	last_error = f.last_error, crm_id = f.crm_id, lease_until = NULL, updated_at = $1,
	done_at = CASE WHEN f.state = 'done' THEN $1 ELSE o.done_at END,
	dead_cause = CASE WHEN f.state = 'dead' OR f.dead_cause = 'deleted_in_crm' THEN f.dead_cause ELSE '' END
	FROM unnest($2::bigint[], $3::text[], $4::integer[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
	  AS f(id, state, attempts, next, last_error, crm_id, dead_cause)
	WHERE o.id = f.id AND o.state || '' = 'pending'
	RETURNING o.id`

// GetOp returns one operation, or a syncd.ENotFound error.
func (db *DB) GetOp(ctx context.Context, id int64) (syncd.Op, error) {
	ops, err := queryOps(ctx, db.pool, `SELECT `+opColumns+` FROM outbox WHERE id = $1`, id)
	if err != nil {
		return syncd.Op{}, fmt.Errorf("get op: %w", err)
	}
	db.onHostClock(ops)
	if len(ops) == 0 {
		return syncd.Op{}, syncd.Errorf(syncd.ENotFound, "no outbox op %d", id)
	}
	return ops[0], nil
}

// WaitsFor returns the pending operation op waits behind, as the claim
// (claimSQL) holds it back: for a deal, the oldest pending operation on
// its contact; else the oldest pending one on the same record before op.
// False when there is none.
func (db *DB) WaitsFor(ctx context.Context, op syncd.Op) (syncd.Op, bool, error) {
	ops, err := queryOps(ctx, db.pool, `SELECT `+opColumns+` FROM outbox WHERE id = coalesce(
		(SELECT min(id) FROM outbox
		  WHERE $2 = 'deal' AND $5 <> '' AND target = $1 AND kind = 'contact' AND key = $5 AND state = 'pending'),
		(SELECT min(id) FROM outbox
		  WHERE target = $1 AND kind = $2 AND key = $3 AND state = 'pending' AND id < $4))`,
		op.Target, string(op.Kind), op.Key, op.ID, op.ContactKey)
	if err != nil {
		return syncd.Op{}, false, fmt.Errorf("op waits for: %w", err)
	}
	if len(ops) == 0 {
		return syncd.Op{}, false, nil
	}
	db.onHostClock(ops)
	return ops[0], true, nil
}

// WaitsForEach returns, by the id of each of ops, the pending operation
// it waits behind, as WaitsFor says of one; an op that waits behind none
// is left out. One statement for them all, where `syncd outbox list`
// asked WaitsFor of each operation it listed.
func (db *DB) WaitsForEach(ctx context.Context, ops []syncd.Op) (map[int64]syncd.Op, error) {
	out := make(map[int64]syncd.Op)
	if len(ops) == 0 {
		return out, nil
	}
	ids, targets, kinds := make([]int64, len(ops)), make([]string, len(ops)), make([]string, len(ops))
	keys, contacts := make([]string, len(ops)), make([]string, len(ops))
	for i, op := range ops {
		ids[i], targets[i], kinds[i], keys[i], contacts[i] = op.ID, op.Target, string(op.Kind), op.Key, op.ContactKey
	}
	rows, err := db.pool.Query(ctx, waitsForEachSQL, ids, targets, kinds, keys, contacts)
	if err != nil {
		return nil, fmt.Errorf("ops wait for: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		w, err := scanOp(rows, &id)
		if err != nil {
			return nil, fmt.Errorf("ops wait for: %w", err)
		}
		one := []syncd.Op{w}
		db.onHostClock(one)
		out[id] = one[0]
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ops wait for: %w", err)
	}
	return out, nil
}

// waitsForEachSQL is WaitsForEach's statement, $1 to $5 the ids, targets,
// kinds, keys and contact keys of the operations asked of: WaitsFor's two
// searches for each, and the row of the one each waits behind.
const waitsForEachSQL = `WITH asked AS (
	SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[])
	  AS a(op_id, op_target, op_kind, op_key, op_contact)),
  behind AS (SELECT op_id, coalesce(
	(SELECT min(id) FROM outbox
	  WHERE op_kind = 'deal' AND op_contact <> '' AND target = op_target AND kind = 'contact' AND key = op_contact
	  AND state = 'pending'),
	(SELECT min(id) FROM outbox
	  WHERE target = op_target AND kind = op_kind AND key = op_key AND state = 'pending' AND id < op_id)) AS waits_id
	FROM asked)
SELECT behind.op_id, outbox.` + opColumns + ` FROM behind JOIN outbox ON outbox.id = behind.waits_id`

// opFilter is the WHERE clause selecting what f selects, and its
// arguments, written from the filters f sets only: from its sixth run on a
// connection PostgreSQL plans a statement generically, not knowing its
// arguments, and a term such as `($1 = ” OR target = $1)` for a filter
// not set left that plan no index condition on the target, so each page
// of `syncd outbox list` or `syncd sync` read every pending operation. The
// state is written into the statement, not passed, for the same reason:
// with the state a parameter, that plan walked every operation by id,
// properties and all, to find the few pending or dead ones. Named, any
// plan reads their partial index.
func opFilter(f syncd.OpFilter) (string, []any) {
	var terms []string
	var args []any
	add := func(term string, arg any) {
		args = append(args, arg)
		terms = append(terms, fmt.Sprintf(term, len(args)))
	}
	switch f.State {
	case "":
	case syncd.OpPending, syncd.OpDone, syncd.OpDead: // the states there are: no quoting needed
		terms = append(terms, `state = '`+string(f.State)+`'`)
	default:
		add(`state = $%d`, string(f.State))
	}
	if f.Target != "" {
		add(`target = $%d`, f.Target)
	}
	if f.Kind != "" {
		add(`kind = $%d`, string(f.Kind))
	}
	if f.AfterID != 0 {
		add(`id > $%d`, f.AfterID)
	}
	if f.BeforeID != 0 {
		add(`id < $%d`, f.BeforeID)
	}
	if len(terms) == 0 {
		return ``, nil
	}
	return `WHERE ` + strings.Join(terms, ` AND `), args
}

// opsQuery is ListOps' statement for f and its arguments.
func opsQuery(f syncd.OpFilter) (string, []any) {
	if f.State == syncd.OpPending && (f.Target == "" || f.Kind == "") {
		return pendingPageQuery(f)
	}
	where, args := opFilter(f)
	q := `SELECT ` + opColumns + ` FROM outbox ` + where + ` ORDER BY id`
	if f.Newest {
		q += ` DESC`
	}
	switch {
	case f.Limit == 0:
		q += ` LIMIT 100`
	case f.Limit > 0:
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return q, args
}

// pendingPageQuery is opsQuery's statement for a page of pending
// operations of no one target and kind (`syncd outbox list -state
// pending`). outbox_claim has them by target and kind, then id, and no
// index by id alone: a page found them all and sorted them whole,
// properties and all, to keep 500, on every page. Now the targets and
// kinds there are come from seeks in outbox_claim, each pair's next ids
// from one seek after the page before's last, and only the page's rows
// are read; what is sorted is at most a page's ids for each pair.
func pendingPageQuery(f syncd.OpFilter) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf(`$%d`, len(args))
	}
	narrow := ``
	if f.Target != "" {
		narrow += ` AND target = ` + arg(f.Target)
	}
	if f.Kind != "" {
		narrow += ` AND kind = ` + arg(string(f.Kind))
	}
	each := ``
	if f.AfterID != 0 {
		each += ` AND id > ` + arg(f.AfterID)
	}
	if f.BeforeID != 0 {
		each += ` AND id < ` + arg(f.BeforeID)
	}
	order, limit := ` ORDER BY id`, ``
	if f.Newest {
		order += ` DESC`
	}
	switch {
	case f.Limit == 0:
		limit = ` LIMIT 100`
	case f.Limit > 0:
		limit = fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	const pending = `FROM outbox WHERE state = 'pending'`
	return `WITH RECURSIVE pairs(t, k) AS (
	  (SELECT target, kind ` + pending + narrow + ` ORDER BY target, kind LIMIT 1)
	  UNION ALL
	  SELECT n.target, n.kind FROM pairs p CROSS JOIN LATERAL (SELECT target, kind ` + pending + narrow + `
	    AND (target, kind) > (p.t, p.k) ORDER BY target, kind LIMIT 1) n)
	SELECT o.* FROM (
	  SELECT x.id FROM pairs p CROSS JOIN LATERAL (SELECT id ` + pending + ` AND target = p.t AND kind = p.k` + each +
		order + limit + `) x` + strings.Replace(order, `id`, `x.id`, 1) + limit + `) page
	CROSS JOIN LATERAL (SELECT ` + opColumns + ` FROM outbox WHERE outbox.id = page.id LIMIT 1) o` +
		strings.Replace(order, `id`, `page.id`, 1), args
}

// ListOps returns the operations matching f, in id order (newest first
// with f.Newest).
func (db *DB) ListOps(ctx context.Context, f syncd.OpFilter) ([]syncd.Op, error) {
	q, args := opsQuery(f)
	ops, err := queryOps(ctx, db.pool, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list ops: %w", err)
	}
	db.onHostClock(ops)
	return ops, nil
}

// opsCount is CountOps' statement for f and its arguments.
func opsCount(f syncd.OpFilter) (string, []any) {
	where, args := opFilter(f)
	return `SELECT count(*) FROM outbox ` + where, args
}

// CountOps counts the operations matching f, ignoring f.Limit.
func (db *DB) CountOps(ctx context.Context, f syncd.OpFilter) (int, error) {
	var n int
	q, args := opsCount(f)
	if err := db.pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count ops: %w", err)
	}
	return n, nil
}

// RetryDeadOp makes a dead letter pending again, due now, with its attempts
// reset; a CRM erasure of an earlier account (syncd.DeadCause.OtherAccount)
// is refused (EInvalid). It returns the ids of the operations revived with it: for a
// contact its updates that died with it (reviveDiedWith) and the deals
// that died because it had no CRM id, for a deal its contact's newest
// operation when that is dead and the contact has no CRM id (else the deal
// would die again at once), with the updates that died with that one.
func (db *DB) RetryDeadOp(ctx context.Context, id int64) ([]int64, error) {
	var with []int64
	err := db.tx(ctx, "retry dead op", func(tx pgx.Tx) error {
		var target, kind, key, contactKey, cause string
		var updated time.Time
		err := tx.QueryRow(ctx, `SELECT target, kind, key, contact_key, dead_cause, updated_at FROM outbox WHERE id = $1 AND state = 'dead'`, id).
			Scan(&target, &kind, &key, &contactKey, &cause, &updated)
		if errors.Is(err, pgx.ErrNoRows) {
			return syncd.Errorf(syncd.ENotFound, "no dead outbox op %d", id)
		}
		if err != nil {
			return err
		}
		if syncd.DeadCause(cause).OtherAccount() {
			return syncd.ErrOtherAccountErasure(id)
		}
		now := db.serverNow() // revive's next attempt
		if _, err := revive(ctx, tx, now, `id = $2`, id); err != nil {
			return err
		}
		if kind == string(syncd.RecordContact) {
			if with, err = reviveDiedWith(ctx, tx, now, target, key, updated, cause); err != nil {
				return err
			}
		}
		more, err := reviveWith(ctx, tx, now, syncd.RecordKind(kind), target, key, contactKey)
		with = append(with, more...)
		return err
	})
	return with, err
}

// reviveWith revives what a retried operation needs or unblocks: for a
// contact its deals dead for want of it; for a deal its contact's newest
// operation when that is dead and the contact has no CRM id, with the
// updates that died with it, and then, as for that contact, its other
// deals dead for want of it (they stayed dead, a dead letter each, once
// the contact was in the CRM).
func reviveWith(ctx context.Context, tx pgx.Tx, now time.Time, kind syncd.RecordKind, target, key, contactKey string) ([]int64, error) {
	deals := func(contact string) ([]int64, error) {
		return revive(ctx, tx, now, `kind = 'deal' AND target = $2 AND contact_key = $3 AND dead_cause IN ($4, $5)`,
			target, contact, string(syncd.DeadNoContact), string(syncd.DeadGivenUp))
	}
	if kind == syncd.RecordContact {
		return deals(key)
	}
	if contactKey == "" {
		return nil, nil
	}
	var updated time.Time
	var cause string
	err := tx.QueryRow(ctx, `SELECT updated_at, dead_cause FROM outbox WHERE id = (SELECT id FROM outbox
		WHERE target = $1 AND kind = 'contact' AND key = $2 ORDER BY id DESC LIMIT 1) AND state = 'dead'
		AND NOT EXISTS (SELECT 1 FROM crm_links WHERE target = $1 AND kind = 'contact' AND key = $2)`,
		target, contactKey).Scan(&updated, &cause)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids, err := reviveDiedWith(ctx, tx, now, target, contactKey, updated, cause)
	if err != nil || len(ids) == 0 {
		return ids, err
	}
	more, err := deals(contactKey)
	return append(ids, more...), err
}

// reviveDiedWith revives contact key's dead updates that died together,
// in one finish: the syncer writes a contact's pending updates as one and
// gives them all one outcome (syncer's decideTogether), so they share
// their dead cause and the finish's update time (updated, read from the
// row, so compared at the column's precision), which no other finish
// gives. Retrying one of them revived it alone, and the CRM missed the
// others' values (the later ones) while they stayed dead. Those given up
// by hand after (their time and cause changed) stay as they are.
func reviveDiedWith(ctx context.Context, tx pgx.Tx, now time.Time, target, key string, updated time.Time, cause string) ([]int64, error) {
	return revive(ctx, tx, now, `target = $2 AND kind = 'contact' AND key = $3 AND updated_at = $4 AND dead_cause = $5`,
		target, key, updated, cause)
}

// RetryAllDeadOps makes every dead letter for target ("" for all targets)
// pending again and returns how many there were, and how many dead ones
// it kept: the CRM erasures of an earlier account, which no retry sends
// (kept), and those given up by hand (givenUp: the operator dealt with
// them; RetryDeadOp brings one back).
func (db *DB) RetryAllDeadOps(ctx context.Context, target string) (revived, kept, givenUp int, err error) {
	var ids []int64
	err = db.tx(ctx, "retry all dead ops", func(tx pgx.Tx) (err error) {
		ids, err = revive(ctx, tx, db.serverNow(), `($2 = '' OR target = $2) AND dead_cause NOT IN ($3, $4, $5)`,
			target, string(syncd.DeadOtherAccount), string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadGivenUp))
		if err != nil {
			return err
		}
		return tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE dead_cause IN ($2, $3)), count(*) FILTER (WHERE dead_cause = $4)
			FROM outbox WHERE state = 'dead' AND ($1 = '' OR target = $1)`, target, string(syncd.DeadOtherAccount),
			string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadGivenUp)).Scan(&kept, &givenUp)
	})
	return len(ids), kept, givenUp, err
}

// revive makes the dead ops matching where pending again, due at now ($1,
// on the server's clock: serverNow; args are $2 on), and returns their ids;
// new pending work notifies every syncer. A deal revived is not marked as
// waiting (migration 0019): the contact it waited for may be done since,
// and the claim looks its contact up.
func revive(ctx context.Context, tx pgx.Tx, now time.Time, where string, args ...any) ([]int64, error) {
	rows, err := tx.Query(ctx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = $1,
		lease_until = NULL, dead_cause = '', updated_at = $1, waits = false, last_error = CASE WHEN dead_cause = 'given_up' THEN
			CASE WHEN strpos(last_error, '; last error: ') > 0 THEN substr(last_error, strpos(last_error, '; last error: ') + 14) ELSE '' END
			ELSE last_error END
		WHERE state = 'dead' AND (`+where+`) RETURNING id`,
		append([]any{now}, args...)...)
	if err != nil {
		return nil, err
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	slices.Sort(ids)
	_, err = tx.Exec(ctx, `SELECT pg_notify('syncd_outbox', '')`)
	return ids, err
}

// OutboxDepths returns the depth of the outbox per target, by target name,
// from one snapshot. /metrics asks for it at every scrape, on every
// instance, so it reads no more of the table than it must: pending
// operations and dead letters from their partial indexes, and the done
// ones from outbox_done, which the writes of operations keep (migration
// 0018): they were counted as all less the pending and dead, a walk of an
// index of every operation kept, which grew with them (BenchmarkOutboxDepths
// beside 8,000 pending: 41 ms at 250,000 operations, 148-236 ms at
// 1,000,000; now 5-23 ms at either, what is pending; 2026-12-07, paired
// runs at a load of 12-24 on 2 cores).
func (db *DB) OutboxDepths(ctx context.Context) ([]syncd.OutboxDepth, error) {
	var out []syncd.OutboxDepth
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	err := pgx.BeginTxFunc(ctx, db.pool, opts, func(tx pgx.Tx) (err error) {
		out, err = outboxDepths(ctx, tx, db.serverNow())
		for i := range out {
			out[i].LeaseUntil = db.hostTime(out[i].LeaseUntil)
			out[i].OldestPending = db.hostTime(out[i].OldestPending)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("outbox depths: %w", err)
	}
	return out, nil
}

// depthSQL are the queries of OutboxDepths.
var depthSQL = struct{ targets, pending, dead, done string }{
	// the targets, by a seek each in outbox_once
	targets: `WITH RECURSIVE targets(t) AS (
		  SELECT min(target) FROM outbox
		  UNION ALL SELECT (SELECT min(target) FROM outbox WHERE target > t) FROM targets WHERE t IS NOT NULL)
		SELECT t FROM targets WHERE t IS NOT NULL`,
	pending: `SELECT target, count(*), min(created_at), count(*) FILTER (WHERE lease_until > $1),
		max(lease_until) FILTER (WHERE lease_until > $1) FROM outbox WHERE state = 'pending' GROUP BY target`,
	dead: `SELECT target, count(*), count(*) FILTER (WHERE dead_cause IN ('given_up', 'other_account_given_up')),
		count(*) FILTER (WHERE dead_cause = 'other_account'),
		count(*) FILTER (WHERE dead_cause = 'other_account_given_up') FROM outbox
		WHERE state = 'dead' GROUP BY target`,
	// the done operations of each target, counted as they changed
	done: `SELECT target, sum(n)::bigint FROM outbox_done GROUP BY target`,
}

// outboxDepths reads the depths in tx; leaseNow (the server's clock, as
// leases are) tells the leases that still run.
func outboxDepths(ctx context.Context, tx pgx.Tx, leaseNow time.Time) ([]syncd.OutboxDepth, error) {
	targets, err := strs(ctx, tx, depthSQL.targets)
	if err != nil || len(targets) == 0 {
		return nil, err
	}
	out := make([]syncd.OutboxDepth, len(targets))
	of := make(map[string]*syncd.OutboxDepth, len(targets))
	for i, t := range targets {
		out[i].Target, of[t] = t, &out[i]
	}
	var target string
	var n, m, o, og int
	var oldest, leaseUntil *time.Time
	rows, _ := tx.Query(ctx, depthSQL.pending, leaseNow)
	_, err = pgx.ForEachRow(rows, []any{&target, &n, &oldest, &m, &leaseUntil}, func() error {
		of[target].Pending, of[target].OldestPending = n, utc(oldest)
		of[target].Leased, of[target].LeaseUntil = m, utc(leaseUntil)
		return nil
	})
	if err == nil {
		rows, _ = tx.Query(ctx, depthSQL.dead)
		_, err = pgx.ForEachRow(rows, []any{&target, &n, &m, &o, &og}, func() error {
			of[target].Dead, of[target].GivenUp, of[target].OtherAccount, of[target].OtherAccountGivenUp = n, m, o, og
			return nil
		})
	}
	if err != nil {
		return nil, err
	}
	rows, _ = tx.Query(ctx, depthSQL.done)
	_, err = pgx.ForEachRow(rows, []any{&target, &n}, func() error {
		if d := of[target]; d != nil { // a target whose last operation went after counts 0
			d.Done = n
		}
		return nil
	})
	return out, err
}
