package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storeapi/handoff"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// IntakeOptions tune an Intake.
type IntakeOptions = handoff.Options

// DefaultDedupWindow is the duplicate window when IntakeOptions has none.
const DefaultDedupWindow = handoff.DefaultDedupWindow

// Intake stores deliveries with group commit: one writer goroutine takes
// every delivery waiting, stores them all in one transaction, commits (one
// fsync for the lot), and only then answers each. Store blocks until the
// delivery is durable.
//
// Duplicates are found in memory for the latest keys and, beyond them, in
// seen_keys, which the writer fills in sorted bulk off its own commits (see
// seen_keys.go). An index on the events' keys would dirty one random page
// per event in every commit, the largest cost of durable intake.
type Intake struct {
	db       *DB
	maxBatch int
	window   time.Duration
	reqs     *handoff.Queue[*intakeReq]
	stmts    intakeStmts // prepared once on the writer connection
	seen     *seenSet    // owned by the writer goroutine
	conn     *sql.Conn   // the writer's own connection, taken at its first batch
	last     atomic.Pointer[writeOutcome]
	damaged  atomic.Pointer[writeOutcome] // the last commit found the database damaged (recordCommit)
	acks     chan<- ackBatch              // committed batches waiting for their fsync
	// sealEvery is how many keys the seen set keeps in memory before
	// sealing them into seen_keys (defaultSealEvery).
	sealEvery int
	hash      func(seenKey) int64 // seen_keys' hash of a key when not sealedHash (tests)
	jobs      chan sealJob        // to the sealer
	sealed    chan struct{}       // from the sealer: the job handed over is done
	// prefetched holds, during a batch, the seen_keys rows of its keys
	// that were not in memory (nil: look each up).
	prefetched map[int64]sealRow
	// unmerged counts the seals in seen_keys_new (-1: not counted yet);
	// only the one sealing at a time uses it.
	unmerged int
}

type intakeReq struct {
	in   syncd.Incoming
	key  seenKey // of in.Source and in.Key
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
	opts = opts.WithDefaults()
	return &Intake{db: db, maxBatch: opts.MaxBatch, window: opts.Window, reqs: handoff.New[*intakeReq](opts.Queue),
		sealEvery: defaultSealEvery, jobs: make(chan sealJob, 1), sealed: make(chan struct{}, 1), unmerged: -1}
}

// Store stores one delivery and returns once the transaction holding it is
// durable. An error means the delivery may not be stored: the sender must
// retry.
func (in *Intake) Store(ctx context.Context, inc syncd.Incoming) (syncd.Receipt, error) {
	// The key's hash is taken here, in the caller's goroutine, not the writer's.
	req := &intakeReq{in: inc, key: seenKeyOf(inc.Source, inc.Key), done: make(chan intakeResult, 1)}
	// Once queued, the writer answers it even while shutting down.
	r, err := handoff.Call(ctx, in.reqs, req, req.done, errStopped)
	if err != nil {
		return syncd.Receipt{}, err
	}
	return r.receipt, r.err
}

// Run is the writer. It returns when ctx ends, after committing every
// delivery already queued; later Store calls fail with EUnavailable.
func (in *Intake) Run(ctx context.Context) error {
	defer in.stmts.close()
	acks := make(chan ackBatch, 1024)
	answered := make(chan struct{})
	go func() { defer close(answered); in.answer(acks) }()
	in.acks = acks
	defer func() { close(acks); <-answered }()
	sealCtx, stopSealer := context.WithCancel(ctx)
	sealerDone := make(chan struct{})
	go func() { defer close(sealerDone); in.sealer(sealCtx, in.jobs, in.sealed) }()
	defer func() { stopSealer(); <-sealerDone }()
	// The writer's own connection, taken now so that it never queues for
	// one behind the other writers; tx tries again if this fails.
	in.conn, _ = in.db.w.Conn(ctx)
	defer func() {
		if in.conn != nil {
			in.conn.Close()
		}
	}()
	_ = in.ready(ctx) // statements and keys now, while the pool is idle; tried again if it fails
	batch := make([]*intakeReq, 0, in.maxBatch)
	for {
		select {
		case <-ctx.Done():
			in.reqs.Close()
			in.drain(batch)
			return nil
		case r := <-in.reqs.Requests():
			batch = in.reqs.Fill(append(batch[:0], r), in.maxBatch)
			in.commit(context.WithoutCancel(ctx), batch)
		case <-in.sealed:
			// A seal ended while no delivery came: the next one starts
			// now, not with the next delivery.
			in.seen.sealed()
			in.startSeal()
		}
	}
}

// drain commits everything still queued after the writer was closed.
func (in *Intake) drain(batch []*intakeReq) {
	for {
		batch = in.reqs.Fill(batch[:0], in.maxBatch)
		if len(batch) == 0 {
			return
		}
		in.commit(context.Background(), batch)
	}
}

// writer is the intake writer's own connection, or the writer pool when it
// has none (a repair from the command line).
func (in *Intake) writer() writerConn {
	if in.conn != nil {
		return in.conn
	}
	return in.db.w
}

// ready prepares the statements and loads the seen keys, once; after a
// failure it is tried again with the next batch.
func (in *Intake) ready(ctx context.Context) error {
	if in.stmts.insertEvent == nil {
		if err := in.prepare(ctx); err != nil {
			return err
		}
	}
	if in.seen == nil {
		seen, err := in.loadSeen(ctx, in.writer(), in.db.Now())
		if err != nil {
			return err
		}
		in.seen = seen
	}
	return nil
}

// commit stores a batch in one transaction and hands it to answer, which
// answers each delivery once the commit is durable; a failed batch is
// answered at once. The keys the batch adds become seen only once the
// commit succeeded (a later duplicate of one of them is answered after a
// later commit, so never before the original is durable). The database
// must be the file at its path before and after: a commit into a removed
// file is not durable, however it succeeded.
func (in *Intake) commit(ctx context.Context, batch []*intakeReq) {
	results := make([]intakeResult, len(batch))
	err := in.db.CheckFile()
	if err == nil {
		err = in.ready(ctx)
	}
	if err == nil {
		in.seen.begin()
		err = in.tx(ctx, in.storeBatch(ctx, batch, results))
		if err == nil {
			err = in.db.CheckFile()
		}
		in.seen.end(err == nil)
		in.handOver()
	}
	err = ExplainDamaged(in.db.path, explainFull(in.db.path, explainReadOnlyFS(in.db.path, explainLocked(in.db.path, err)))) // each returns a nil err at once
	in.recordCommit(err)
	if err == nil {
		in.db.txs.intake.Add(1)
		in.db.txs.deliveries.Add(int64(len(batch)))
		in.acks <- ackBatch{reqs: append([]*intakeReq(nil), batch...), results: results}
		return
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
		if err := in.seen.catchUp(ctx, tx.StmtContext(ctx, in.stmts.catchUp), now); err != nil {
			return err
		}
		if err := in.prefetchSealed(ctx, tx, batch, now); err != nil {
			return err
		}
		defer func() { in.prefetched = nil }()
		for i, r := range batch {
			// A failed statement ends the batch: on SQLITE_FULL or an I/O
			// error SQLite rolls the whole transaction back, and the
			// statements after it would each commit on their own, stored
			// but answered 503 with the batch (the retry a second event).
			if results[i].receipt, results[i].err = in.storeOne(ctx, tx, r.in, r.key, now); results[i].err != nil {
				return results[i].err
			}
			if results[i].receipt.Changed {
				if results[i].err = in.keepChanged(ctx, tx, r.in, &results[i].receipt, now); results[i].err != nil {
					return results[i].err
				}
			}
		}
		return nil
	}
}

// tx runs fn in a transaction on the writer's own connection, ahead of any
// other writer of the process (see writeGate).
func (in *Intake) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	if in.conn == nil {
		c, err := in.db.w.Conn(ctx)
		if err != nil {
			return fmt.Errorf("begin intake: %w", err)
		}
		in.conn = c
	}
	tx, err := in.conn.BeginTx(intakeContext(ctx), nil)
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

// find returns the first event with key received at or after since: in
// memory, else in seen_keys.
func (in *Intake) find(ctx context.Context, tx *sql.Tx, k seenKey, source, key string, since time.Time) (int64, bool, error) {
	if id, ok := in.seen.find(k, since); ok {
		return id, true, nil
	}
	return in.findSealed(ctx, tx, k, source, key, since)
}

// handOver forgets the keys of a finished seal and hands the seen keys to
// the sealer once there are enough; at most one seal runs at a time.
func (in *Intake) handOver() {
	select {
	case <-in.sealed:
		in.seen.sealed()
	default:
	}
	in.startSeal()
}

// startSeal hands the seen keys to the sealer if there are enough and no
// seal is running.
func (in *Intake) startSeal() {
	if job, ok := in.seen.startSeal(); ok {
		in.jobs <- job // never blocks: one job at a time, and room for one
	}
}

// storeOne stores one delivery in tx: a new event or quarantined body, or
// one more delivery of one already stored within the window.
// k is seenKeyOf(inc.Source, inc.Key).
func (in *Intake) storeOne(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, k seenKey, now time.Time) (syncd.Receipt, error) {
	if inc.Quarantine {
		return in.storeQuarantine(ctx, tx, inc, now)
	}
	ts := fmtTime(now)
	id, ok, err := in.find(ctx, tx, k, inc.Source, inc.Key, now.Add(-in.window))
	if err != nil {
		return syncd.Receipt{}, err
	}
	if ok {
		return in.countDuplicate(ctx, tx, id, inc, ts)
	}
	received := inc.ReceivedAt
	if received.IsZero() {
		received = now
	}
	var payload any // NULL unless the body needed the lenient pass
	if inc.Payload != nil {
		payload = string(inc.Payload)
	}
	state := syncd.MapPending // an unrecognised body is never mapped: it waits for a person
	if inc.Unrecognised != "" {
		state = syncd.MapUnrecognised
	}
	res, err := tx.StmtContext(ctx, in.stmts.insertEvent).ExecContext(ctx,
		inc.Source, string(inc.Kind), inc.Type, inc.Key, inc.Body, payload, string(inc.Parse),
		fmtTime(received), inc.RemoteAddr, string(state), inc.Unrecognised)
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("insert event: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return syncd.Receipt{}, fmt.Errorf("insert event: %w", err)
	}
	in.seen.add(k, id, received)
	return syncd.Receipt{Outcome: syncd.Accepted, ID: id}, nil
}

// countDuplicate counts one more delivery of event id, and tells whether
// its body says something else than the stored one (Receipt.Changed): the
// statement returns the stored document only when the bytes differ.
func (in *Intake) countDuplicate(ctx context.Context, tx *sql.Tx, id int64, inc syncd.Incoming, ts string) (syncd.Receipt, error) {
	var stored []byte
	err := tx.StmtContext(ctx, in.stmts.countEvent).QueryRowContext(ctx, ts, id, inc.Body).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return syncd.Receipt{}, fmt.Errorf("count delivery: %w", err)
	}
	changed := stored != nil && !sender.SameDelivery(inc.Kind, stored, inc.Document())
	return syncd.Receipt{Outcome: syncd.Duplicate, ID: id, Changed: changed}, nil
}

// keepChanged keeps the body of a changed duplicate (rec.Changed) in the
// quarantine for a person, unresolved, and notes its id in rec.Kept: the
// event keeps its first body, as mapped, and without this copy nobody could
// read what the sender changed. An event that came to nothing in the CRM
// (see takeLaterBody) takes the later body instead, and the copy kept,
// resolved as the event, is its first. The same body again within the
// window is one more delivery of the copy. Changed deliveries are rare (a
// sender correcting a submission): the normal duplicate never comes here.
func (in *Intake) keepChanged(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, rec *syncd.Receipt, now time.Time) error {
	ts := fmtTime(now)
	kept := syncd.Quarantine{Body: inc.Body, ReceivedAt: inc.ReceivedAt, RemoteAddr: inc.RemoteAddr,
		Reason: sender.ChangedReason(inc.Kind, rec.ID)}
	if kept.ReceivedAt.IsZero() {
		kept.ReceivedAt = now
	}
	first, err := in.takeLaterBody(ctx, tx, inc, rec.ID)
	if err != nil {
		return err
	}
	if first != nil {
		kept, rec.Replaced = *first, true
		kept.Reason, kept.ResolvedEvent = sender.ReplacedReason(inc.Kind, rec.ID), rec.ID
	}
	key := sender.QuarantineKey(kept.Body)
	var resolved sql.NullInt64
	err = tx.StmtContext(ctx, in.stmts.findQuarantine).QueryRowContext(ctx,
		inc.Source, key, fmtTime(now.Add(-in.window))).Scan(&rec.Kept, &resolved)
	switch {
	case err == nil:
		if _, err := tx.StmtContext(ctx, in.stmts.countQuarantine).ExecContext(ctx, ts, rec.Kept); err != nil {
			return fmt.Errorf("count changed delivery: %w", err)
		}
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("find changed delivery: %w", err)
	}
	res, err := tx.StmtContext(ctx, in.stmts.insertQuarantine).ExecContext(ctx,
		inc.Source, string(inc.Kind), kept.Body, key, kept.Reason, fmtTime(kept.ReceivedAt), kept.RemoteAddr, rec.ID)
	if err != nil {
		return fmt.Errorf("keep changed delivery: %w", err)
	}
	if rec.Kept, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("keep changed delivery: %w", err)
	}
	if kept.ResolvedEvent != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE quarantine SET resolved_event_id = ?, resolved_at = ? WHERE id = ?`,
			kept.ResolvedEvent, ts, rec.Kept); err != nil {
			return fmt.Errorf("keep replaced body: %w", err)
		}
	}
	return nil
}

// takeLaterBody gives event id the body of inc, a changed delivery of
// it, and sends it back to be mapped, when nothing of the event reached
// the CRM: it is unmappable (the lead came without a way to reach the
// person, say, and the sender sent it again with one) or ignored (no rule
// maps it: a portal submission, whose later body the report then reads),
// has no operations,
// still has its body, and is of inc's type. It returns the first body, as
// a quarantined body (Body, ReceivedAt, RemoteAddr), or nil when the event
// keeps it. The mapping worker picks up pending events only: one already
// mapped (or being mapped) is never changed under it.
func (in *Intake) takeLaterBody(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, id int64) (*syncd.Quarantine, error) {
	var first syncd.Quarantine
	var received string
	err := tx.QueryRowContext(ctx, `SELECT body, received_at, remote_addr FROM events
		WHERE id = ? AND map_state IN ('unmappable', 'ignored') AND type = ? AND length(body) > 0
		AND NOT EXISTS (SELECT 1 FROM outbox WHERE event_id = events.id)`, id, inc.Type).
		Scan(&first.Body, &received, &first.RemoteAddr)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find an event that came to nothing: %w", err)
	}
	first.ReceivedAt = parseTime(sql.NullString{String: received, Valid: true})
	var payload any // NULL unless the body needed the lenient pass
	if inc.Payload != nil {
		payload = string(inc.Payload)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE events SET body = ?, payload = ?, parse = ?, map_state = 'pending',
		map_error = '', mapped_at = NULL WHERE id = ?`, inc.Body, payload, string(inc.Parse), id); err != nil {
		return nil, fmt.Errorf("replace the body of an event that came to nothing: %w", err)
	}
	return &first, nil
}

// storeQuarantine keeps a body that did not parse; the same bytes again
// within the window count as one more delivery, or, once an operator
// repaired them into an event, as a duplicate of that event (the sender's
// retry of a body already repaired needs no second repair). Quarantine is
// rare, so the lookup is a plain indexed query.
func (in *Intake) storeQuarantine(ctx context.Context, tx *sql.Tx, inc syncd.Incoming, now time.Time) (syncd.Receipt, error) {
	ts := fmtTime(now)
	var id int64
	var resolved sql.NullInt64
	err := tx.StmtContext(ctx, in.stmts.findQuarantine).QueryRowContext(ctx,
		inc.Source, inc.Key, fmtTime(now.Add(-in.window))).Scan(&id, &resolved)
	switch {
	case err == nil && resolved.Valid:
		rec, err := in.countDuplicate(ctx, tx, resolved.Int64, inc, ts)
		rec.Changed = false // the repair is the body corrected
		return rec, err
	case err == nil:
		if _, err := tx.StmtContext(ctx, in.stmts.countQuarantine).ExecContext(ctx, ts, id); err != nil {
			return syncd.Receipt{}, fmt.Errorf("count delivery: %w", err)
		}
		return syncd.Receipt{Outcome: syncd.Quarantined, ID: id}, nil
	case !errors.Is(err, sql.ErrNoRows):
		return syncd.Receipt{}, fmt.Errorf("find quarantined: %w", err)
	}
	received := fmtTime(inc.ReceivedAt)
	if inc.ReceivedAt.IsZero() {
		received = ts
	}
	res, err := tx.StmtContext(ctx, in.stmts.insertQuarantine).ExecContext(ctx,
		inc.Source, string(inc.Kind), inc.Body, inc.Key, inc.Reason, received, inc.RemoteAddr, 0)
	if err != nil {
		return syncd.Receipt{}, fmt.Errorf("insert quarantine: %w", err)
	}
	if id, err = res.LastInsertId(); err != nil {
		return syncd.Receipt{}, fmt.Errorf("insert quarantine: %w", err)
	}
	return syncd.Receipt{Outcome: syncd.Quarantined, ID: id}, nil
}
