package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// IntakeOptions tune an Intake.
type IntakeOptions struct {
	// MaxBatch is the most deliveries committed in one transaction
	// (default 512). 1 gives one commit per delivery: the naive baseline.
	MaxBatch int
	// Queue is how many deliveries may wait for the writer (default 4096).
	Queue int
}

// Intake stores deliveries with group commit: one writer goroutine takes
// every delivery waiting, stores them all in one transaction, commits (one
// fsync for the lot), and only then answers each. Store blocks until the
// delivery is durable.
type Intake struct {
	db       *DB
	maxBatch int
	reqs     chan *intakeReq
	stmts    intakeStmts // prepared once on the writer connection

	mu     sync.RWMutex // held for reading while sending on reqs
	closed bool
}

type intakeReq struct {
	in   syncd.Incoming
	done chan intakeResult
}

type intakeResult struct {
	receipt syncd.Receipt
	err     error
}

// errStopped is returned for deliveries offered after the writer stopped.
var errStopped = syncd.Errorf(syncd.EUnavailable, "store is shutting down")

// NewIntake returns an Intake writing to db. Its Run must be running for
// Store to make progress.
func (db *DB) NewIntake(opts IntakeOptions) *Intake {
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 512
	}
	if opts.Queue <= 0 {
		opts.Queue = 4096
	}
	return &Intake{db: db, maxBatch: opts.MaxBatch, reqs: make(chan *intakeReq, opts.Queue)}
}

// Store stores one delivery and returns once the transaction holding it is
// durable. An error means the delivery may not be stored: the sender must
// retry.
func (in *Intake) Store(ctx context.Context, inc syncd.Incoming) (syncd.Receipt, error) {
	req := &intakeReq{in: inc, done: make(chan intakeResult, 1)}
	in.mu.RLock()
	if in.closed {
		in.mu.RUnlock()
		return syncd.Receipt{}, errStopped
	}
	select {
	case in.reqs <- req:
		in.mu.RUnlock()
	case <-ctx.Done():
		in.mu.RUnlock()
		return syncd.Receipt{}, ctx.Err()
	}
	// Once queued, the writer answers it even while shutting down.
	select {
	case r := <-req.done:
		return r.receipt, r.err
	case <-ctx.Done():
		return syncd.Receipt{}, ctx.Err()
	}
}

// intakeStmts are the writer's statements. Preparing them once saves
// SQLite parsing the same SQL for every delivery.
type intakeStmts struct {
	find                          map[string]*sql.Stmt // by table, with and without a window
	findWin                       map[string]*sql.Stmt
	count                         map[string]*sql.Stmt
	insertEvent, insertQuarantine *sql.Stmt
}

// close releases the prepared statements.
func (st intakeStmts) close() {
	for _, m := range []map[string]*sql.Stmt{st.find, st.findWin, st.count} {
		for _, s := range m {
			s.Close()
		}
	}
	for _, s := range []*sql.Stmt{st.insertEvent, st.insertQuarantine} {
		if s != nil {
			s.Close()
		}
	}
}

func (in *Intake) prepare(ctx context.Context) error {
	st := intakeStmts{find: map[string]*sql.Stmt{}, findWin: map[string]*sql.Stmt{}, count: map[string]*sql.Stmt{}}
	var err error
	prep := func(q string) *sql.Stmt {
		s, perr := in.db.W.PrepareContext(ctx, q)
		if perr != nil && err == nil {
			err = fmt.Errorf("prepare intake: %w", perr)
		}
		return s
	}
	for table, col := range map[string]string{"events": "idem_key", "quarantine": "body_sha256"} {
		q := `SELECT id FROM ` + table + ` WHERE source = ? AND ` + col + ` = ?`
		st.find[table] = prep(q + ` ORDER BY id LIMIT 1`)
		st.findWin[table] = prep(q + ` AND received_at >= ? ORDER BY id LIMIT 1`)
		st.count[table] = prep(`UPDATE ` + table + ` SET deliveries = deliveries + 1, last_delivery_at = ? WHERE id = ?`)
	}
	// New deliveries, the common case, take one statement: insert unless
	// the key was seen since ?9 ('' for forever). Only a duplicate pays for
	// the lookup of the first delivery's id.
	st.insertEvent = prep(`INSERT INTO events (source, kind, type, idem_key, body, payload, parse,
		received_at, last_delivery_at, remote_addr)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?10
		WHERE NOT EXISTS (SELECT 1 FROM events WHERE source = ?1 AND idem_key = ?4 AND received_at >= ?9)`)
	st.insertQuarantine = prep(`INSERT INTO quarantine (source, kind, body, body_sha256, reason,
		received_at, last_delivery_at, remote_addr)
		SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?6, ?8
		WHERE NOT EXISTS (SELECT 1 FROM quarantine WHERE source = ?1 AND body_sha256 = ?4 AND received_at >= ?7)`)
	if err != nil {
		return err
	}
	in.stmts = st
	return nil
}

// Run is the writer. It returns when ctx ends, after committing every
// delivery already queued; later Store calls fail with EUnavailable.
func (in *Intake) Run(ctx context.Context) error {
	batch := make([]*intakeReq, 0, in.maxBatch)
	for {
		select {
		case <-ctx.Done():
			in.mu.Lock()
			in.closed = true
			in.mu.Unlock()
			in.drain(batch)
			return nil
		case r := <-in.reqs:
			batch = in.fill(append(batch[:0], r))
			in.commit(context.WithoutCancel(ctx), batch)
		}
	}
}

// fill adds whatever else is waiting, up to the batch limit.
func (in *Intake) fill(batch []*intakeReq) []*intakeReq {
	for len(batch) < in.maxBatch {
		select {
		case r := <-in.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// drain commits everything still queued after the writer was closed.
func (in *Intake) drain(batch []*intakeReq) {
	for {
		batch = in.fill(batch[:0])
		if len(batch) == 0 {
			return
		}
		in.commit(context.Background(), batch)
	}
}

// commit stores a batch in one transaction and answers each delivery.
func (in *Intake) commit(ctx context.Context, batch []*intakeReq) {
	results := make([]intakeResult, len(batch))
	var err error
	if in.stmts.insertEvent == nil {
		err = in.prepare(ctx) // again on the next batch if the database was not there
	}
	if err == nil {
		err = in.tx(ctx, in.storeBatch(ctx, batch, results))
	}
	for i, r := range batch {
		if err != nil {
			results[i] = intakeResult{err: syncd.Errorf(syncd.EUnavailable, "store unavailable")}
		}
		r.done <- results[i]
	}
	if err != nil && in.db.OnError != nil {
		in.db.OnError(err)
	}
}

// storeBatch stores each delivery of batch in tx, noting each one's result.
func (in *Intake) storeBatch(ctx context.Context, batch []*intakeReq, results []intakeResult) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		now := in.db.Now()
		for i, r := range batch {
			results[i].receipt, results[i].err = in.storeOne(ctx, tx, r.in, now)
		}
		return nil
	}
}

func (in *Intake) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := in.db.W.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin intake: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit intake: %w", err)
	}
	return nil
}

// storeOne stores one delivery in tx: a new event or quarantined body, or
// one more delivery of one already stored within its window.
func (in *Intake) storeOne(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, now time.Time) (syncd.Receipt, error) {
	table, outcome := "events", syncd.Accepted
	if inc.Quarantine {
		table, outcome = "quarantine", syncd.Quarantined
	}
	ts := fmtTime(now)
	received := fmtTime(inc.ReceivedAt)
	if inc.ReceivedAt.IsZero() {
		received = ts
	}
	since := "" // every stored delivery counts
	if inc.Window > 0 {
		since = fmtTime(now.Add(-inc.Window))
	}
	var res sql.Result
	var err error
	if inc.Quarantine {
		res, err = tx.StmtContext(ctx, in.stmts.insertQuarantine).ExecContext(ctx,
			inc.Source, string(inc.Kind), inc.Body, inc.Key, inc.Reason, received, since, inc.RemoteAddr)
	} else {
		var payload any // NULL unless the body needed the lenient pass
		if inc.Payload != nil {
			payload = string(inc.Payload)
		}
		res, err = tx.StmtContext(ctx, in.stmts.insertEvent).ExecContext(ctx,
			inc.Source, string(inc.Kind), inc.Type, inc.Key, inc.Body, payload, string(inc.Parse),
			received, since, inc.RemoteAddr)
	}
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("insert %s: %w", table, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		id, lerr := res.LastInsertId()
		if err = errors.Join(err, lerr); err != nil {
			return syncd.Receipt{}, fmt.Errorf("insert %s: %w", table, err)
		}
		return syncd.Receipt{Outcome: outcome, ID: id}, nil
	}
	id, err := in.findDelivery(ctx, tx, table, inc, now)
	if err != nil {
		return syncd.Receipt{}, err
	}
	if _, err := tx.StmtContext(ctx, in.stmts.count[table]).ExecContext(ctx, ts, id); err != nil {
		return syncd.Receipt{}, fmt.Errorf("count delivery: %w", err)
	}
	if inc.Quarantine {
		return syncd.Receipt{Outcome: syncd.Quarantined, ID: id}, nil
	}
	return syncd.Receipt{Outcome: syncd.Duplicate, ID: id}, nil
}

// findDelivery returns the id of the first stored delivery with the same
// idempotency key within its window.
func (in *Intake) findDelivery(ctx context.Context, tx *sql.Tx, table string, inc syncd.Incoming, now time.Time) (int64, error) {
	var row *sql.Row
	if inc.Window > 0 {
		row = tx.StmtContext(ctx, in.stmts.findWin[table]).QueryRowContext(ctx, inc.Source, inc.Key, fmtTime(now.Add(-inc.Window)))
	} else {
		row = tx.StmtContext(ctx, in.stmts.find[table]).QueryRowContext(ctx, inc.Source, inc.Key)
	}
	var id int64
	if err := row.Scan(&id); err != nil {
		return 0, fmt.Errorf("find delivery: %w", err)
	}
	return id, nil
}
