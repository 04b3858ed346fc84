package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/syncd-dev/syncd/internal/storeapi/storesql"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// opColumns are the outbox columns read into a syncd.Op, in opScan's order.
const opColumns = `id, event_id, target, kind, key, contact_key, properties, mapping_file, mapping_hash,
	state, attempts, next_attempt_at, lease_until, last_error, crm_id, created_at, updated_at, key_kind, dead_cause`

// insertOps inserts ops into the outbox within tx as recordMappings does
// on its own statements (rawMapStmts.record), for what is not a mapping (a
// CRM erasure): pending and due at now (a time in syncd.TimeFormat), an op
// whose (target, kind, key, properties) is already in the outbox skipped;
// inserted counts the new rows.
func (db *DB) insertOps(ctx context.Context, tx *sql.Tx, now string, ops []syncd.Op) (inserted int, err error) {
	stmt, again := tx.StmtContext(ctx, db.ws.insertOp), tx.StmtContext(ctx, db.ws.reinsertOp)
	args := make([]any, 13)
	exec := func(s *sql.Stmt) (int64, error) {
		res, err := s.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	for i := range ops {
		args[0] = ops[i].EventID
		for j, v := range opText(&ops[i], now) {
			args[1+j] = v
		}
		n, err := exec(stmt)
		if err == nil && n == 0 { // its hash is in the outbox: changed back to it?
			n, err = exec(again)
		}
		if err != nil {
			return inserted, fmt.Errorf("insert ops: %w", err)
		}
		inserted += int(n)
	}
	return inserted, nil
}

// OpsEnqueued reports, for each op, whether the same work is already in the
// outbox (from whichever event), as insertOps would skip it: its hash is
// there, and not changed back to (reinsertOpSQL) or enqueued so already.
func (db *DB) OpsEnqueued(ctx context.Context, ops []syncd.Op) ([]bool, error) {
	known := make([]bool, len(ops))
	for i, op := range ops {
		err := db.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_once
			WHERE target = ?2 AND kind = ?3 AND key = ?4 AND props_hash = ?7) AND NOT (`+changedBackSQL+`
			AND NOT EXISTS (SELECT 1 FROM outbox INDEXED BY outbox_once
				WHERE target = ?2 AND kind = ?3 AND key = ?4 AND props_hash = ?7 || ':' || ?1))`,
			op.EventID, op.Target, string(op.Kind), op.Key, nil, nil, op.PropsHash()).Scan(&known[i])
		if err != nil {
			return nil, fmt.Errorf("ops enqueued: %w", err)
		}
	}
	return known, nil
}

// opQuery runs a query selecting opColumns and scans every row.
func opQuery(ctx context.Context, q queryer, query string, args ...any) ([]syncd.Op, error) {
	return opRows(q.QueryContext(ctx, query, args...))
}

// opRows scans every row of a query selecting opColumns.
func opRows(rows *sql.Rows, err error) ([]syncd.Op, error) {
	return newOpScanner().all(rows, err)
}

// all scans every row of a query.
func (sc *opScanner) all(rows *sql.Rows, err error) ([]syncd.Op, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ops []syncd.Op
	for rows.Next() {
		op, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, rows.Err()
}

// opScanner reads rows of opColumns, after the columns before them that
// first names, if any, into destinations made once for a whole query: given
// to Scan afresh for each row, the locals and the slice of pointers to
// them escaped to the heap, a dozen objects for every row (the syncer's
// claim reads some hundred rows a batch). A claim's scanner
// (newClaimScanner) reads claimColumns and gives every row the columns the
// claim set or chose by, which base and the locals hold.
type opScanner struct {
	base, op                    syncd.Op
	kind, state, props          string
	keyKind, cause              string
	next, lease, created, updat sql.NullString
	dest                        []any
}

func newOpScanner(first ...any) *opScanner {
	s := &opScanner{}
	s.dest = append(first, &s.op.ID, &s.op.EventID, &s.op.Target, &s.kind, &s.op.Key, &s.op.ContactKey, &s.props,
		&s.op.MappingFile, &s.op.MappingHash, &s.state, &s.op.Attempts, &s.next, &s.lease, &s.op.LastError, &s.op.CRMID,
		&s.created, &s.updat, &s.keyKind, &s.cause)
	return s
}

// claimColumns are the columns a claim (claimOps, claimBehind) returns:
// opColumns less those it knows without reading them back, as every row it
// leases has them alike: the target and kind it claims, the state pending,
// and the lease end and update time it wrote. Each column read is a string
// copied out of SQLite and boxed for database/sql, and a row of RETURNING
// more to store and read again; some hundred rows a claim.
const claimColumns = `id, event_id, key, contact_key, properties, mapping_file, mapping_hash,
	attempts, next_attempt_at, last_error, crm_id, created_at, key_kind, dead_cause`

// newClaimScanner reads the rows of a claim of target's operations of kind,
// leased until until at at (both as stored), which return claimColumns.
func newClaimScanner(target string, kind syncd.RecordKind, at, until string) *opScanner {
	s := &opScanner{base: syncd.Op{Target: target}, kind: string(kind), state: string(syncd.OpPending),
		lease: sql.NullString{String: until, Valid: true}, updat: sql.NullString{String: at, Valid: true}}
	s.dest = []any{&s.op.ID, &s.op.EventID, &s.op.Key, &s.op.ContactKey, &s.props, &s.op.MappingFile,
		&s.op.MappingHash, &s.op.Attempts, &s.next, &s.op.LastError, &s.op.CRMID, &s.created, &s.keyKind, &s.cause}
	return s
}

// scan reads the row rows is on.
func (s *opScanner) scan(rows *sql.Rows) (syncd.Op, error) {
	s.op = s.base
	if err := rows.Scan(s.dest...); err != nil {
		return syncd.Op{}, err
	}
	op := s.op
	op.Kind, op.State = syncd.RecordKind(s.kind), syncd.OpState(s.state)
	op.KeyKind, op.DeadCause = syncd.KeyKind(s.keyKind), syncd.DeadCause(s.cause)
	var err error
	if op.Properties, err = decodeProps(s.props); err != nil {
		return op, fmt.Errorf("op %d properties: %w", op.ID, err)
	}
	op.NextAttemptAt, op.LeaseUntil = parseTime(s.next), parseTime(s.lease)
	op.CreatedAt, op.UpdatedAt = parseTime(s.created), parseTime(s.updat)
	return op, nil
}

// decodeProps reads properties as syncd.Op.StoredProps wrote them: a flat JSON object of
// strings, into a map of its size. It is json.Unmarshal's result without
// its reflection: half the allocations of reading an operation.
func decodeProps(props string) (map[string]string, error) {
	if !gjson.Valid(props) {
		return nil, errors.New("not JSON")
	}
	obj := gjson.Parse(props)
	if !obj.IsObject() {
		return nil, errors.New("not a JSON object")
	}
	m := make(map[string]string, strings.Count(props, `":`))
	var err error
	obj.ForEach(func(k, v gjson.Result) bool {
		if v.Type != gjson.String {
			err = fmt.Errorf("property %q is not a string", k.Str)
			return false
		}
		m[k.Str] = v.Str
		return true
	})
	return m, err
}

// FinishAndClaimOps records finished as FinishOps does and then, in the
// same transaction, leases up to limit due pending operations of one kind
// for target until now+lease and counts an attempt on each: a drain loop
// pays one commit per batch instead of two. An operation is due when its
// next attempt time has come and no lease on it is running, and when no
// older pending operation writes the same record (updates apply in order).
// For a contact, its due updates after it, up to the first one not due or
// leased, come with it (behindHeadSQL), beyond limit: the syncer writes
// them as one, merged in order; a deal's batch never holds one record
// twice. A deal is claimable only once
// no operation on its contact is pending (whatever the order they were
// enqueued in), so contacts go first; claims see the records just finished,
// so a deal whose contact is in finished is claimable at once. If the
// process dies mid-call the lease runs out and the operations are due
// again. The result is in id order. An intake transaction that comes to
// wait meanwhile goes ahead of the rest of the batch (finishAndClaim).
func (db *DB) FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	// One finish time for all finished, in however many transactions: a
	// contact's updates that die together are told by it (RetryDeadOp).
	at := db.now()
	for {
		ops, rest, err := db.finishAndClaim(ctx, at, finished, target, kind, limit, lease)
		if err != nil || rest == nil {
			return ops, err
		}
		finished = rest // an intake transaction went ahead; finish the rest
	}
}

// finishAndClaim is one transaction of FinishAndClaimOps, finishing at
// at. When an intake transaction comes to wait for the writer while ops
// are being finished, it commits those finished and returns the rest (not
// nil), claiming nothing: a sender's answer never waits for a whole batch.
func (db *DB) finishAndClaim(ctx context.Context, at string, finished []syncd.Op, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) (ops, rest []syncd.Op, err error) {
	if ctx, err = batchContext(ctx); err != nil {
		return nil, nil, fmt.Errorf("claim ops: %w", err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("claim ops: %w", err)
	}
	defer tx.Rollback()
	n, err := db.opFinish(ctx, tx, at, finished, db.gate.intakeWaiting)
	if err != nil {
		return nil, nil, fmt.Errorf("finish ops: %w", err)
	}
	if n < len(finished) {
		rest = finished[n:]
	} else if ops, err = db.opClaim(ctx, tx, db.Now(), target, kind, limit, lease); err != nil {
		return nil, nil, fmt.Errorf("claim ops: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("claim ops: %w", err)
	}
	db.txs.sync.Add(1)
	db.txs.syncOps.Add(int64(n + len(ops)))
	return ops, rest, nil
}

func (db *DB) opClaim(ctx context.Context, tx *sql.Tx, now time.Time, target string, kind syncd.RecordKind,
	limit int, lease time.Duration) ([]syncd.Op, error) {
	if limit <= 0 {
		return nil, nil
	}
	at, until := fmtTime(now), fmtTime(now.Add(lease))
	claimed := newClaimScanner(target, kind, at, until)
	ops, err := claimed.all(tx.StmtContext(ctx, db.ws.claimOps).QueryContext(ctx, until, at, target, string(kind), limit))
	if err != nil {
		return nil, err
	}
	if kind == syncd.RecordContact && len(ops) > 0 {
		ids := make([]int64, len(ops))
		for i, op := range ops {
			ids[i] = op.ID
		}
		arg, err := json.Marshal(ids)
		if err != nil {
			return nil, err
		}
		behind, err := claimed.all(tx.StmtContext(ctx, db.ws.claimBehind).QueryContext(ctx, until, at, string(arg)))
		if err != nil {
			return nil, err
		}
		ops = append(ops, behind...)
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
	return ops, nil
}

// FinishOps records what became of claimed operations, in one transaction.
// For each op it stores State, Attempts, NextAttemptAt, LastError and CRMID
// as the caller set them, and ends the lease: State done completes the op
// and records its CRM id in crm_links; pending reschedules it at
// NextAttemptAt; dead makes it a dead letter with LastError as the reason.
// An op that is no longer pending is left as it is.
func (db *DB) FinishOps(ctx context.Context, ops []syncd.Op) error {
	if len(ops) == 0 {
		return nil
	}
	ctx, err := batchContext(ctx)
	if err != nil {
		return fmt.Errorf("finish ops: %w", err)
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("finish ops: %w", err)
	}
	defer tx.Rollback()
	now := db.now()
	if _, err := db.opFinish(ctx, tx, now, ops, nil); err != nil {
		return fmt.Errorf("finish ops: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("finish ops: %w", err)
	}
	db.txs.sync.Add(1)
	db.txs.syncOps.Add(int64(len(ops)))
	return nil
}

// opFinish records ops as FinishOps describes, in tx, and returns how
// many it recorded: all, or fewer when yield (if not nil) said after one
// of them that the transaction should commit now.
func (db *DB) opFinish(ctx context.Context, tx *sql.Tx, now string, ops []syncd.Op, yield func() bool) (int, error) {
	upd := tx.StmtContext(ctx, db.ws.finishOp)
	var link *sql.Stmt // db.ws.setLink in tx, bound at the first link
	for i, op := range ops {
		if i > 0 && yield != nil && yield() {
			return i, nil
		}
		switch op.State {
		case syncd.OpDone, syncd.OpPending, syncd.OpDead:
		default:
			return i, fmt.Errorf("op %d: unknown state %q", op.ID, op.State)
		}
		next := fmtTime(op.NextAttemptAt)
		if next == "" {
			next = now
		}
		res, err := upd.ExecContext(ctx, string(op.State), op.Attempts, next, op.LastError, op.CRMID, now, op.ID,
			string(op.DeadCause))
		if err != nil {
			return i, fmt.Errorf("op %d: %w", op.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			// No longer pending: another run finished it after this one's
			// lease ran out. Its record stands; failing the transaction
			// would throw away the results of the rest of the batch.
			continue
		}
		if op.State == syncd.OpDone && op.CRMID != "" {
			if link == nil {
				link = tx.StmtContext(ctx, db.ws.setLink)
			}
			if err := linkPut(ctx, link, now, op.Target, op.Kind, op.Key, op.CRMID, storesql.DealContact(op)); err != nil {
				return i, fmt.Errorf("op %d: %w", op.ID, err)
			}
		}
	}
	return len(ops), nil
}

// GetOp returns one operation, or a syncd.ENotFound error.
func (db *DB) GetOp(ctx context.Context, id int64) (syncd.Op, error) {
	ops, err := opQuery(ctx, db.r, `SELECT `+opColumns+` FROM outbox WHERE id = ?`, id)
	if err != nil {
		return syncd.Op{}, fmt.Errorf("get op: %w", err)
	}
	if len(ops) == 0 {
		return syncd.Op{}, syncd.Errorf(syncd.ENotFound, "no outbox op %d", id)
	}
	return ops[0], nil
}

// WaitsFor returns the pending operation op waits behind, as the claim
// (claimOps) holds it back: for a deal, the oldest pending operation on
// its contact; else the oldest pending one on the same record before op.
// False when there is none. Both are seeks of a key in outbox_once.
func (db *DB) WaitsFor(ctx context.Context, op syncd.Op) (syncd.Op, bool, error) {
	ops, err := opQuery(ctx, db.r, `SELECT `+opColumns+` FROM outbox WHERE id = coalesce(
		(SELECT min(id) FROM outbox INDEXED BY outbox_once
		  WHERE ?2 = 'deal' AND ?5 <> '' AND target = ?1 AND kind = 'contact' AND key = ?5 AND state = 'pending'),
		(SELECT min(id) FROM outbox INDEXED BY outbox_once
		  WHERE target = ?1 AND kind = ?2 AND key = ?3 AND state = 'pending' AND id < ?4))`,
		op.Target, string(op.Kind), op.Key, op.ID, op.ContactKey)
	if err != nil {
		return syncd.Op{}, false, fmt.Errorf("op waits for: %w", err)
	}
	if len(ops) == 0 {
		return syncd.Op{}, false, nil
	}
	return ops[0], true, nil
}

// WaitsForEach returns, by the id of each of ops, the pending operation
// it waits behind, as WaitsFor says of one; an op that waits behind none
// is left out. One statement for them all: `syncd outbox list` asked
// WaitsFor of each operation it listed (45 of the 48 s it took over
// 100,000 pending operations).
func (db *DB) WaitsForEach(ctx context.Context, ops []syncd.Op) (map[int64]syncd.Op, error) {
	out := make(map[int64]syncd.Op)
	if len(ops) == 0 {
		return out, nil
	}
	type asked struct {
		ID         int64  `json:"id"`
		Target     string `json:"target"`
		Kind       string `json:"kind"`
		Key        string `json:"key"`
		ContactKey string `json:"contact_key"`
	}
	list := make([]asked, len(ops))
	for i, op := range ops {
		list[i] = asked{op.ID, op.Target, string(op.Kind), op.Key, op.ContactKey}
	}
	arg, err := json.Marshal(list)
	if err != nil {
		return nil, fmt.Errorf("ops wait for: %w", err)
	}
	rows, err := db.r.QueryContext(ctx, waitsForEachSQL, string(arg))
	if err != nil {
		return nil, fmt.Errorf("ops wait for: %w", err)
	}
	defer rows.Close()
	var id int64
	sc := newOpScanner(&id)
	for rows.Next() {
		w, err := sc.scan(rows)
		if err != nil {
			return nil, fmt.Errorf("ops wait for: %w", err)
		}
		out[id] = w
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ops wait for: %w", err)
	}
	return out, nil
}

// waitsForEachSQL is WaitsForEach's statement, ?1 the operations asked
// of as a JSON array: WaitsFor's two seeks in outbox_once for each,
// and the row of the one each waits behind.
const waitsForEachSQL = `WITH asked AS (
	SELECT json_extract(value, '$.id') AS op_id, json_extract(value, '$.target') AS op_target,
	  json_extract(value, '$.kind') AS op_kind, json_extract(value, '$.key') AS op_key,
	  json_extract(value, '$.contact_key') AS op_contact
	FROM json_each(?1)),
  behind AS (SELECT op_id, coalesce(
	(SELECT min(id) FROM outbox INDEXED BY outbox_once
	  WHERE op_kind = 'deal' AND op_contact <> '' AND target = op_target AND kind = 'contact' AND key = op_contact
	  AND state = 'pending'),
	(SELECT min(id) FROM outbox INDEXED BY outbox_once
	  WHERE target = op_target AND kind = op_kind AND key = op_key AND state = 'pending' AND id < op_id)) AS waits_id
	FROM asked)
SELECT behind.op_id, ` + opColumns + ` FROM behind JOIN outbox ON outbox.id = behind.waits_id`

// OpFilter selects operations for ListOps; the domain type, named here
// for callers.
type OpFilter = syncd.OpFilter

// opFilterFrom is "outbox" and the WHERE clause selecting what f selects,
// with its arguments, written from the filters f sets only: a term such as
// `(?2 = ” OR target = ?2)` for one not set left SQLite's planner no index
// to narrow by, so each page of `syncd outbox list -state pending` read
// every pending operation. For a pending or dead state it reads the few
// such operations through their partial index (outbox_claim, outbox_dead)
// instead of the whole outbox: the state is written into the SQL (one of
// syncd's own words, never the caller's text), since a state given as a
// parameter cannot prove the index applies, and the index is named, since
// SQLite would walk the table by id for the order.
func opFilterFrom(f OpFilter) (string, []any) {
	from, terms := `outbox`, []string(nil)
	switch f.State {
	case "":
	case syncd.OpPending:
		from, terms = `outbox INDEXED BY outbox_claim`, []string{`state = 'pending'`}
	case syncd.OpDead:
		from, terms = `outbox INDEXED BY outbox_dead`, []string{`state = 'dead'`}
	case syncd.OpDone:
		terms = []string{`state = 'done'`}
	}
	var args []any
	add := func(term string, arg any) {
		args = append(args, arg)
		terms = append(terms, fmt.Sprintf(term, len(args)))
	}
	if len(terms) == 0 && f.State != "" { // not a state syncd knows: selects none, as before
		add(`state = ?%d`, string(f.State))
	}
	if f.Target != "" {
		add(`target = ?%d`, f.Target)
	}
	if f.Kind != "" {
		add(`kind = ?%d`, string(f.Kind))
	}
	if f.AfterID != 0 {
		add(`id > ?%d`, f.AfterID)
	}
	if f.BeforeID != 0 {
		add(`id < ?%d`, f.BeforeID)
	}
	if len(terms) == 0 {
		return from, nil
	}
	return from + ` WHERE ` + strings.Join(terms, ` AND `), args
}

// opsQuery is ListOps' statement for f and its arguments. The pending or
// dead operations are picked by id from their partial index first, and
// only the page's rows read: ordered by id, the index (by target and kind,
// or by time) has them sorted, and sorting whole rows (properties and all)
// read every one that matched, for each page.
func opsQuery(f OpFilter) (string, []any) {
	if f.Limit == 0 {
		f.Limit = 100
	}
	order := ` ORDER BY id`
	if f.Newest {
		order += ` DESC`
	}
	if f.State == syncd.OpPending && (f.Target == "" || f.Kind == "") {
		return pendingPageQuery(f, order)
	}
	from, args := opFilterFrom(f)
	limit := fmt.Sprintf(` LIMIT ?%d`, len(args)+1)
	args = append(args, f.Limit)
	if f.State != syncd.OpPending && f.State != syncd.OpDead {
		return `SELECT ` + opColumns + ` FROM ` + from + order + limit, args
	}
	return `SELECT ` + opColumns + ` FROM outbox WHERE id IN (SELECT id FROM ` + from + order + limit + `)` + order, args
}

// pendingPageQuery is opsQuery's statement for a page of pending
// operations of no one target and kind (`syncd outbox list -state
// pending`), ordered as order says. outbox_claim has them by target and
// kind, then id: the page's ids were picked by reading every pending
// operation's entry and sorting them, on each page (quadratic in what is
// pending). Now the targets and kinds there are come from a few seeks in
// the index, each pair's next ids from one seek after the page before's
// last, and only the page's rows are read.
func pendingPageQuery(f OpFilter, order string) (string, []any) {
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf(`?%d`, len(args))
	}
	const index = `FROM outbox INDEXED BY outbox_claim WHERE state = 'pending'`
	targets := `targets(t) AS (SELECT ` + arg(f.Target) + `)`
	if f.Target == "" {
		targets = `targets(t) AS (SELECT (SELECT min(target) ` + index + `)
		UNION ALL SELECT (SELECT min(target) ` + index + ` AND target > t) FROM targets WHERE t IS NOT NULL)`
	}
	pairs := `pairs(t, k) AS (SELECT t, ` + arg(string(f.Kind)) + ` FROM targets)`
	if f.Kind == "" {
		pairs = `pairs(t, k) AS (SELECT t, (SELECT min(kind) ` + index + ` AND target = t) FROM targets WHERE t IS NOT NULL
		UNION ALL SELECT t, (SELECT min(kind) ` + index + ` AND target = t AND kind > k) FROM pairs WHERE k IS NOT NULL)`
	}
	each := `SELECT id ` + index + ` AND target = p.t AND kind = p.k`
	if f.AfterID != 0 {
		each += ` AND id > ` + arg(f.AfterID)
	}
	if f.BeforeID != 0 {
		each += ` AND id < ` + arg(f.BeforeID)
	}
	limit := ` LIMIT ` + arg(f.Limit)
	return `WITH RECURSIVE ` + targets + `, ` + pairs + `
	SELECT ` + opColumns + ` FROM outbox WHERE id IN (
	  SELECT x.id FROM pairs p, outbox x WHERE p.t IS NOT NULL AND p.k IS NOT NULL
	  AND x.id IN (` + each + order + limit + `)` +
		strings.ReplaceAll(order, `id`, `x.id`) + limit + `)` + order, args
}

// ListOps returns the operations matching f, in id order (newest first
// with f.Newest).
func (db *DB) ListOps(ctx context.Context, f OpFilter) ([]syncd.Op, error) {
	query, args := opsQuery(f)
	ops, err := opQuery(ctx, db.r, query, args...)
	if err != nil {
		return nil, fmt.Errorf("list ops: %w", err)
	}
	return ops, nil
}

// PendingLeft says how many of target's pending operations no lease holds
// and when the first of them that waits behind no other is due, without
// reading them: `syncd sync` said so by reading every one (4.5 s and
// 200 MB for 100,000), where this reads them in the database, through
// outbox_claim, once, and keeps two numbers.
func (db *DB) PendingLeft(ctx context.Context, target string) (syncd.PendingLeft, error) {
	var left syncd.PendingLeft
	var next sql.NullString
	if err := db.r.QueryRowContext(ctx, pendingLeftSQL, target, db.now()).Scan(&left.Count, &next); err != nil {
		return syncd.PendingLeft{}, fmt.Errorf("pending left: %w", err)
	}
	left.NextDue = parseTime(next)
	return left, nil
}

// pendingLeftSQL is PendingLeft's query: ?1 the target, ?2 now (a lease
// that ends then or before holds nothing, as the claim takes it). One pass
// over the target's pending operations counts them and keeps the
// earliest next attempt of those that wait behind none (times are text
// that sorts as they do): it counted them in one pass and looked for the
// earliest in another.
const pendingLeftSQL = `SELECT count(*), min(CASE WHEN ` + waitsBehindNone + ` THEN o.next_attempt_at END)
	FROM outbox o INDEXED BY outbox_claim
	WHERE o.target = ?1 AND o.state = 'pending' AND (o.lease_until IS NULL OR o.lease_until <= ?2)`

// CountOps counts the operations matching f, ignoring f.Limit.
func (db *DB) CountOps(ctx context.Context, f OpFilter) (int, error) {
	var n int
	query, args := opCount(f)
	if err := db.r.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count ops: %w", err)
	}
	return n, nil
}

// opCount is CountOps' query and its arguments. The operations of every
// state, or the done ones, with no other filter than BeforeID (what
// `syncd outbox list` and `outbox list -state done` count, the older ones
// left out) are counted as OutboxDepths counts them, rather than by walking
// the table: every operation, from the smallest index, less those from
// BeforeID on (the rows listed, and any added since), and for done ones
// less the pending and dead ones below BeforeID, from their partial
// indexes.
func opCount(f OpFilter) (string, []any) {
	if f.Target != "" || f.Kind != "" || f.AfterID != 0 || (f.State != "" && f.State != syncd.OpDone) {
		from, args := opFilterFrom(f)
		return `SELECT count(*) FROM ` + from, args
	}
	before := f.BeforeID
	if before == 0 {
		before = math.MaxInt64
	}
	if f.State == syncd.OpDone {
		return opCountDone, []any{before}
	}
	return opCountAll, []any{before}
}

// opCountAll and opCountDone are opCount's queries, ?1 the BeforeID.
const (
	opCountAll  = `SELECT (SELECT count(*) FROM outbox) - (SELECT count(*) FROM outbox WHERE id >= ?1)`
	opCountDone = opCountAll + `
		- (SELECT count(*) FROM outbox INDEXED BY outbox_claim WHERE state = 'pending' AND id < ?1)
		- (SELECT count(*) FROM outbox INDEXED BY outbox_dead WHERE state = 'dead' AND id < ?1)`
)

// RetryDeadOp makes a dead letter pending again, due now, with its attempts
// reset; its last error stays until the next attempt. A CRM erasure of an
// earlier account (syncd.DeadCause.OtherAccount) is refused (EInvalid). It returns the ids of
// the operations revived with it: for a contact its updates that died with
// it (opReviveDiedWith) and the deals that died because it had no CRM id,
// for a deal its contact's newest operation when that is dead and the
// contact has no CRM id (else the deal would die again at once), with the
// updates that died with that one.
func (db *DB) RetryDeadOp(ctx context.Context, id int64) ([]int64, error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("retry dead op: %w", err)
	}
	defer tx.Rollback()
	var target, kind, key, contactKey, cause, updated string
	err = tx.QueryRowContext(ctx, `SELECT target, kind, key, contact_key, dead_cause, updated_at FROM outbox WHERE id = ? AND state = 'dead'`, id).
		Scan(&target, &kind, &key, &contactKey, &cause, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, syncd.Errorf(syncd.ENotFound, "no dead outbox op %d", id)
	}
	if err != nil {
		return nil, fmt.Errorf("retry dead op: %w", err)
	}
	if syncd.DeadCause(cause).OtherAccount() {
		return nil, syncd.ErrOtherAccountErasure(id)
	}
	now := db.now()
	if _, err := opRevive(ctx, tx, now, `id = ?2`, id); err != nil {
		return nil, fmt.Errorf("retry dead op: %w", err)
	}
	var with []int64
	if kind == string(syncd.RecordContact) {
		with, err = opReviveDiedWith(ctx, tx, now, target, key, updated, cause)
	}
	if err == nil {
		var more []int64
		more, err = opReviveWith(ctx, tx, now, syncd.RecordKind(kind), target, key, contactKey)
		with = append(with, more...)
	}
	if err != nil {
		return nil, fmt.Errorf("retry dead op: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("retry dead op: %w", err)
	}
	return with, nil
}

// opReviveWith revives what a retried operation needs or unblocks: for a
// contact its deals dead for want of it; for a deal its contact's newest
// operation when that is dead and the contact has no CRM id, with the
// updates that died with it, and then, as for that contact, its other
// deals dead for want of it (they stayed dead, a dead letter each, once
// the contact was in the CRM).
func opReviveWith(ctx context.Context, tx *sql.Tx, now string, kind syncd.RecordKind, target, key, contactKey string) ([]int64, error) {
	deals := func(contact string) ([]int64, error) {
		return opRevive(ctx, tx, now, `kind = 'deal' AND target = ?2 AND contact_key = ?3 AND dead_cause IN (?4, ?5)`,
			target, contact, string(syncd.DeadNoContact), string(syncd.DeadGivenUp))
	}
	if kind == syncd.RecordContact {
		return deals(key)
	}
	if contactKey == "" {
		return nil, nil
	}
	var updated, cause string
	err := tx.QueryRowContext(ctx, `SELECT updated_at, dead_cause FROM outbox WHERE id = (SELECT id FROM outbox
		WHERE target = ?1 AND kind = 'contact' AND key = ?2 ORDER BY id DESC LIMIT 1) AND state = 'dead'
		AND NOT EXISTS (SELECT 1 FROM crm_links WHERE target = ?1 AND kind = 'contact' AND key = ?2)`,
		target, contactKey).Scan(&updated, &cause)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	ids, err := opReviveDiedWith(ctx, tx, now, target, contactKey, updated, cause)
	if err != nil || len(ids) == 0 {
		return ids, err
	}
	more, err := deals(contactKey)
	return append(ids, more...), err
}

// opReviveDiedWith revives contact key's dead updates that died together,
// in one finish: the syncer writes a contact's pending updates as one and
// gives them all one outcome (syncer's decideTogether), so they share
// their dead cause and the finish's update time (updated), which no other
// finish gives. Retrying one of them revived it alone, and the CRM missed
// the others' values (the later ones) while they stayed dead. Those given
// up by hand after (their time and cause changed) stay as they are.
func opReviveDiedWith(ctx context.Context, tx *sql.Tx, now, target, key, updated, cause string) ([]int64, error) {
	return opRevive(ctx, tx, now, `target = ?2 AND kind = 'contact' AND key = ?3 AND updated_at = ?4 AND dead_cause = ?5`,
		target, key, updated, cause)
}

// RetryAllDeadOps makes every dead letter for target ("" for all targets)
// pending again and returns how many there were, and how many dead ones
// it kept: the CRM erasures of an earlier account, which no retry sends
// (kept), and those given up by hand (givenUp: the operator dealt with
// them; RetryDeadOp brings one back).
func (db *DB) RetryAllDeadOps(ctx context.Context, target string) (revived, kept, givenUp int, err error) {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("retry all dead ops: %w", err)
	}
	defer tx.Rollback()
	ids, err := opRevive(ctx, tx, db.now(), `(?2 = '' OR target = ?2) AND dead_cause NOT IN (?3, ?4, ?5)`,
		target, string(syncd.DeadOtherAccount), string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadGivenUp))
	if err != nil {
		return 0, 0, 0, fmt.Errorf("retry all dead ops: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE dead_cause IN (?2, ?3)), count(*) FILTER (WHERE dead_cause = ?4)
		FROM outbox WHERE state = 'dead' AND (?1 = '' OR target = ?1)`, target, string(syncd.DeadOtherAccount),
		string(syncd.DeadOtherAccountGivenUp), string(syncd.DeadGivenUp)).Scan(&kept, &givenUp); err != nil {
		return 0, 0, 0, fmt.Errorf("retry all dead ops: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, 0, 0, fmt.Errorf("retry all dead ops: %w", err)
	}
	return len(ids), kept, givenUp, nil
}

// opRevive makes the dead ops matching where pending again, due at now (?1
// in where; args are ?2 on), and returns their ids.
func opRevive(ctx context.Context, tx *sql.Tx, now, where string, args ...any) ([]int64, error) {
	return idsOf(ctx, tx, `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?1,
		lease_until = NULL, dead_cause = '', updated_at = ?1, last_error = `+revivedError+`
		WHERE state = 'dead' AND (`+where+`) RETURNING id`,
		append([]any{now}, args...)...)
}

// revivedError is a revived operation's last error: one given up by hand
// gets back the error it had before (GiveUpOp put the reason before it),
// or none. A retried operation showed "given up by hand (syncd outbox
// give-up)" as its last error while it waited to be sent again.
const revivedError = `CASE WHEN dead_cause = 'given_up' THEN
	CASE WHEN instr(last_error, '; last error: ') > 0 THEN substr(last_error, instr(last_error, '; last error: ') + 14) ELSE '' END
	ELSE last_error END`

// OutboxDepth is the outbox of one target by state; the domain type.
type OutboxDepth = syncd.OutboxDepth

// OutboxDepths returns the depth of the outbox per target, by target name.
// It is read on every metrics scrape and by `syncd status`, and the outbox
// keeps every operation the retention keeps (some millions), so nothing
// here reads the table whole: pending operations are counted through
// outbox_claim and dead letters through outbox_dead (partial indexes,
// small), and done ones are what remains of each target's count, which for
// a single target is the table's row count, taken from its smallest index.
func (db *DB) OutboxDepths(ctx context.Context) ([]OutboxDepth, error) {
	// One read transaction: every count from the same snapshot, so that
	// done (what remains) is never off by a write made between them.
	tx, err := db.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("outbox depths: %w", err)
	}
	defer tx.Rollback()
	out, err := outboxDepths(ctx, tx, db.now())
	if err != nil {
		return nil, fmt.Errorf("outbox depths: %w", err)
	}
	return out, nil
}

// outboxDepths reads the depths in tx; now (as stored) tells the leases
// that still run.
func outboxDepths(ctx context.Context, tx *sql.Tx, now string) ([]OutboxDepth, error) {
	var out []OutboxDepth
	err := eachRow(ctx, tx, depthSQL.targets, nil, func(rows *sql.Rows) error {
		out = append(out, OutboxDepth{})
		return rows.Scan(&out[len(out)-1].Target)
	})
	if err != nil {
		return nil, err
	}
	byTarget := make(map[string]*OutboxDepth, len(out))
	for i := range out {
		byTarget[out[i].Target] = &out[i]
	}
	err = eachRow(ctx, tx, depthSQL.pending, []any{now}, func(rows *sql.Rows) error {
		var t string
		var n, leased int
		var oldest, leaseUntil sql.NullString
		if err := rows.Scan(&t, &n, &oldest, &leased, &leaseUntil); err != nil {
			return err
		}
		if d := byTarget[t]; d != nil {
			d.Pending, d.OldestPending = n, parseTime(oldest)
			d.Leased, d.LeaseUntil = leased, parseTime(leaseUntil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = eachRow(ctx, tx, depthSQL.dead, nil, func(rows *sql.Rows) error {
		var t string
		var n, given, other, otherGiven int
		if err := rows.Scan(&t, &n, &given, &other, &otherGiven); err != nil {
			return err
		}
		if d := byTarget[t]; d != nil {
			d.Dead, d.GivenUp, d.OtherAccount, d.OtherAccountGivenUp = n, given, other, otherGiven
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range out {
		var all int
		if len(out) == 1 {
			err = tx.QueryRowContext(ctx, depthSQL.all).Scan(&all)
		} else {
			err = tx.QueryRowContext(ctx, depthSQL.allOf, out[i].Target).Scan(&all)
		}
		if err != nil {
			return nil, err
		}
		out[i].Done = all - out[i].Pending - out[i].Dead
	}
	return out, nil
}

// depthSQL are OutboxDepths' queries; TestOutboxDepthsReadNoWholeTable
// checks their plans.
var depthSQL = struct{ targets, pending, dead, all, allOf string }{
	// the targets, by a seek each in outbox_once
	targets: `WITH RECURSIVE targets(t) AS (
		  SELECT min(target) FROM outbox
		  UNION ALL SELECT (SELECT min(target) FROM outbox WHERE target > t) FROM targets WHERE t IS NOT NULL)
		SELECT t FROM targets WHERE t IS NOT NULL`,
	pending: `SELECT target, count(*), min(created_at), count(*) FILTER (WHERE lease_until > ?1),
		max(lease_until) FILTER (WHERE lease_until > ?1) FROM outbox INDEXED BY outbox_claim
		WHERE state = 'pending' GROUP BY target`,
	dead: `SELECT target, count(*), count(*) FILTER (WHERE dead_cause IN ('given_up', 'other_account_given_up')),
		count(*) FILTER (WHERE dead_cause = 'other_account'),
		count(*) FILTER (WHERE dead_cause = 'other_account_given_up') FROM outbox INDEXED BY outbox_dead
		WHERE state = 'dead' GROUP BY target`,
	// every operation: SQLite counts the entries of the smallest index
	all: `SELECT count(*) FROM outbox`,
	// every operation of one target, from outbox_once's entries for it
	allOf: `SELECT count(*) FROM outbox WHERE target = ?`,
}

// eachRow runs query and calls fn for each row.
func eachRow(ctx context.Context, q queryer, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
