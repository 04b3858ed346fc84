package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/storeapi/handoff"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// IntakeOptions tune an Intake.
type IntakeOptions = handoff.Options

// DefaultDedupWindow is the duplicate window when IntakeOptions has none.
const DefaultDedupWindow = handoff.DefaultDedupWindow

// Intake stores deliveries with group commit, per instance: one writer
// goroutine stores every delivery waiting in one transaction (one round
// trip for the lot), commits, and only then answers each. Duplicates are
// found by intake_keys' primary key, so a delivery stored by another
// instance is a duplicate here too.
type Intake struct {
	db       *DB
	maxBatch int
	window   time.Duration
	reqs     *handoff.Queue[*intakeReq]
}

type intakeReq struct {
	in   syncd.Incoming
	done chan intakeResult
}

type intakeResult struct {
	receipt syncd.Receipt
	err     error
}

var errStopped = syncd.Errorf(syncd.EUnavailable, "store is shutting down")

// NewIntake returns an Intake writing to db. Its Run must be running for
// Store to make progress.
func (db *DB) NewIntake(opts IntakeOptions) *Intake {
	opts = opts.WithDefaults()
	return &Intake{db: db, maxBatch: opts.MaxBatch, window: opts.Window, reqs: handoff.New[*intakeReq](opts.Queue)}
}

// Store stores one delivery and returns once the transaction holding it is
// durable. An error means the delivery may not be stored: the sender must
// retry.
func (in *Intake) Store(ctx context.Context, inc syncd.Incoming) (syncd.Receipt, error) {
	req := &intakeReq{in: inc, done: make(chan intakeResult, 1)}
	r, err := handoff.Call(ctx, in.reqs, req, req.done, errStopped)
	if err != nil {
		return syncd.Receipt{}, err
	}
	return r.receipt, r.err
}

// Run is the writer. It returns when ctx ends, after committing every
// delivery already queued; later Store calls fail with EUnavailable. It
// first puts back the keys of its window if they were swept with a
// shorter one (see holdKeys); a failure is told to OnError and the next
// purge tries again.
func (in *Intake) Run(ctx context.Context) error {
	if err := in.db.holdKeys(ctx, in.window, in.db.serverNow()); err != nil && ctx.Err() == nil && in.db.OnError != nil {
		in.db.OnError(err)
	}
	batch := make([]*intakeReq, 0, in.maxBatch)
	for {
		select {
		case <-ctx.Done():
			in.reqs.Close()
			for batch = in.reqs.Fill(batch[:0], in.maxBatch); len(batch) > 0; batch = in.reqs.Fill(batch[:0], in.maxBatch) {
				in.commit(context.Background(), batch)
			}
			return nil
		case r := <-in.reqs.Requests():
			batch = in.reqs.Fill(append(batch[:0], r), in.maxBatch)
			in.commit(context.WithoutCancel(ctx), batch)
		}
	}
}

// commit stores a batch in one transaction and answers each delivery.
// Its times (received, last delivered, the duplicate window's start) are
// on the database server's clock (serverNow), as the outbox's are, with
// no round trip more: before, they were the receiving host's, so a lead
// received at 23:55 on a host ten minutes ahead fell in the next day's
// report, a retry near the end of the window was taken twice on one
// host and refused on another, and a host ahead purged leads early.
func (in *Intake) commit(ctx context.Context, batch []*intakeReq) {
	incs := make([]syncd.Incoming, len(batch))
	for i, r := range batch {
		incs[i] = r.in
		incs[i].ReceivedAt = in.db.serverTime(r.in.ReceivedAt)
	}
	var recs []syncd.Receipt
	err := in.db.tx(ctx, "intake", func(tx pgx.Tx) error {
		var err error
		recs, err = storeAll(ctx, tx, incs, in.db.serverNow(), in.window)
		return err
	})
	for i, r := range batch {
		if err != nil {
			r.done <- intakeResult{err: syncd.Errorf(syncd.EUnavailable, "store unavailable")}
			continue
		}
		r.done <- intakeResult{receipt: recs[i]}
	}
	if err != nil && in.db.OnError != nil {
		in.db.OnError(err)
	}
}

// storeAll stores deliveries in tx and returns their receipts in order.
// Keys are taken in (source, key) order, so that two instances' batches
// holding the same keys wait for each other instead of deadlocking. now
// and the deliveries' ReceivedAt are on the server's clock (see commit).
func storeAll(ctx context.Context, tx pgx.Tx, incs []syncd.Incoming, now time.Time, window time.Duration) ([]syncd.Receipt, error) {
	order := make([]int, len(incs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := incs[order[a]], incs[order[b]]
		return x.Source < y.Source || (x.Source == y.Source && x.Key < y.Key)
	})
	recs := make([]syncd.Receipt, len(incs))
	b := &pgx.Batch{}
	for _, i := range order {
		queueOne(b, incs[i], now, window, &recs[i])
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	for _, i := range order { // a duplicate whose first delivery committed meanwhile
		if recs[i].ID == 0 {
			if err := countLate(ctx, tx, incs[i], now, &recs[i]); err != nil {
				return nil, err
			}
		}
		if recs[i].Changed {
			if err := keepChanged(ctx, tx, incs[i], now, window, &recs[i]); err != nil {
				return nil, err
			}
		}
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify('syncd_events', '')`); err != nil {
		return nil, err
	}
	return recs, nil
}

// queueOne queues the statement storing one delivery; rec is filled when
// the batch runs.
func queueOne(b *pgx.Batch, inc syncd.Incoming, now time.Time, window time.Duration, rec *syncd.Receipt) {
	received := inc.ReceivedAt.UTC().Truncate(time.Microsecond)
	if inc.ReceivedAt.IsZero() {
		received = now
	}
	if inc.Quarantine {
		b.Queue(quarantineSQL, inc.Source, string(inc.Kind), inc.Body, inc.Key, inc.Reason, received,
			inc.RemoteAddr, now, now.Add(-window)).QueryRow(func(r pgx.Row) error {
			var repaired bool
			rec.Outcome = syncd.Quarantined
			if err := r.Scan(&rec.ID, &repaired); err != nil {
				return err
			}
			if repaired {
				rec.Outcome = syncd.Duplicate
			}
			return nil
		})
		return
	}
	var payload []byte // NULL unless the body needed the lenient pass
	if inc.Payload != nil {
		payload = inc.Payload
	}
	state := syncd.MapPending // an unrecognised body is never mapped: it waits for a person
	if inc.Unrecognised != "" {
		state = syncd.MapUnrecognised
	}
	b.Queue(intakeSQL, inc.Source, inc.Key, string(inc.Kind), inc.Type, inc.Body, payload, string(inc.Parse),
		received, inc.RemoteAddr, now.Add(-window), now, string(state), inc.Unrecognised).QueryRow(func(r pgx.Row) error {
		var created, counted int64
		var stored []byte
		if err := r.Scan(&created, &counted, &stored); err != nil {
			return err
		}
		switch {
		case created != 0:
			*rec = syncd.Receipt{Outcome: syncd.Accepted, ID: created}
		case counted != 0:
			*rec = duplicate(counted, stored, inc)
		}
		return nil
	})
}

// duplicate is the receipt of one more delivery of event id; stored is the
// event's document when its body's bytes differ from the delivery's, nil
// when they are equal or the body is gone (what counting it returns).
func duplicate(id int64, stored []byte, inc syncd.Incoming) syncd.Receipt {
	changed := stored != nil && !sender.SameDelivery(inc.Kind, stored, inc.Document())
	return syncd.Receipt{Outcome: syncd.Duplicate, ID: id, Changed: changed}
}

// intakeSQL stores one parsed delivery: a key new (or last seen before
// the window, $10) makes a new event, in mapping state $12 with error $13
// (unrecognised, and why, for a body that does not fit its source's
// kind); a key seen within it counts one more delivery of its event,
// returning its stored document when the bodies' bytes differ (see
// duplicate), and takes no number of the events' sequence (VALUES with
// ON CONFLICT took one for each retry: ids 1, 4, 7 for a sender that
// retried twice, read as events missing). A key committed by another instance while
// this statement waited is seen by neither branch (the statement's
// snapshot is older): both ids are 0 and countLate counts it.
const intakeSQL = `
WITH k AS (
  INSERT INTO intake_keys AS ik (source, idem_key, event_id, received_at)
  SELECT $1, $2, nextval('events_id_seq'), $8
  WHERE NOT EXISTS (SELECT 1 FROM intake_keys WHERE source = $1 AND idem_key = $2 AND received_at >= $10)
  ON CONFLICT (source, idem_key) DO UPDATE SET event_id = excluded.event_id, received_at = excluded.received_at
    WHERE ik.received_at < $10
  RETURNING event_id
), e AS (
  INSERT INTO events (id, source, kind, type, idem_key, body, payload, parse, received_at, last_delivery_at, remote_addr,
    map_state, map_error)
  SELECT event_id, $1, $3, $4, $2, $5, $6, $7, $8, $8, $9, $12, $13 FROM k
  RETURNING id
), d AS (
  UPDATE events SET deliveries = deliveries + 1, last_delivery_at = $11
  WHERE NOT EXISTS (SELECT 1 FROM k)
    AND id = (SELECT event_id FROM intake_keys WHERE source = $1 AND idem_key = $2)
  RETURNING id, CASE WHEN body = $5 OR length(body) = 0 THEN NULL ELSE coalesce(payload, body) END AS stored
)
SELECT COALESCE((SELECT id FROM e), 0), COALESCE((SELECT id FROM d), 0), (SELECT stored FROM d)`

// countLate counts a delivery whose key another instance committed while
// this batch waited for it: a statement of its own sees that commit.
func countLate(ctx context.Context, tx pgx.Tx, inc syncd.Incoming, now time.Time, rec *syncd.Receipt) error {
	var id int64
	var stored []byte
	err := tx.QueryRow(ctx, `UPDATE events SET deliveries = deliveries + 1, last_delivery_at = $3
		WHERE id = (SELECT event_id FROM intake_keys WHERE source = $1 AND idem_key = $2)
		RETURNING id, CASE WHEN body = $4 OR length(body) = 0 THEN NULL ELSE coalesce(payload, body) END`,
		inc.Source, inc.Key, now, inc.Body).Scan(&id, &stored)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("intake key %s of %s has no event", inc.Key, inc.Source)
	}
	*rec = duplicate(id, stored, inc)
	return err
}

// keepChanged keeps the body of a changed duplicate (rec.Changed) in the
// quarantine for a person, unresolved, and notes its id in rec.Kept: the
// event keeps its first body, as mapped, and without this copy nobody could
// read what the sender changed. An event that came to nothing in the CRM
// (see takeLaterBody) takes the later body instead, and the copy kept,
// resolved as the event, is its first. The same body again within the
// window is one more delivery of the copy. Changed deliveries are rare: the
// normal duplicate never comes here.
func keepChanged(ctx context.Context, tx pgx.Tx, inc syncd.Incoming, now time.Time, window time.Duration, rec *syncd.Receipt) error {
	kept := syncd.Quarantine{Body: inc.Body, ReceivedAt: inc.ReceivedAt.UTC().Truncate(time.Microsecond),
		RemoteAddr: inc.RemoteAddr, Reason: sender.ChangedReason(inc.Kind, rec.ID)}
	if inc.ReceivedAt.IsZero() {
		kept.ReceivedAt = now
	}
	first, err := takeLaterBody(ctx, tx, inc, rec.ID)
	if err != nil {
		return err
	}
	var resolved *int64
	if first != nil {
		kept, rec.Replaced, resolved = *first, true, &rec.ID
		kept.Reason = sender.ReplacedReason(inc.Kind, rec.ID)
	}
	err = tx.QueryRow(ctx, keepChangedSQL, inc.Source, string(inc.Kind), kept.Body, sender.QuarantineKey(kept.Body),
		kept.Reason, kept.ReceivedAt, kept.RemoteAddr, now, now.Add(-window), resolved, rec.ID).Scan(&rec.Kept)
	if err != nil {
		return fmt.Errorf("keep changed delivery: %w", err)
	}
	return nil
}

// keepChangedSQL counts one more delivery of the quarantined body with the
// same bytes received within the window ($9), or keeps the body as a new
// one, a changed delivery of event $11, resolved as event $10 when that is
// not NULL.
const keepChangedSQL = `
WITH f AS (
  SELECT id FROM quarantine WHERE source = $1 AND body_sha256 = $4 AND received_at >= $9
  ORDER BY id LIMIT 1
), c AS (
  UPDATE quarantine SET deliveries = deliveries + 1, last_delivery_at = $8
  WHERE id = (SELECT id FROM f)
  RETURNING id
), n AS (
  INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at, remote_addr,
    resolved_event_id, resolved_at, changed_of)
  SELECT $1, $2, $3, $4, $5, $6, $6, $7, $10::bigint, CASE WHEN $10::bigint IS NULL THEN NULL ELSE $8::timestamptz END,
    $11::bigint
  WHERE NOT EXISTS (SELECT 1 FROM f)
  RETURNING id
)
SELECT id FROM c UNION ALL SELECT id FROM n`

// takeLaterBody gives event id the body of inc, a changed delivery of
// it, and sends it back to be mapped, when nothing of the event reached
// the CRM: it is unmappable (the lead came without a way to reach the
// person, say, and the sender sent it again with one) or ignored (no rule
// maps it: a portal submission, whose later body the report then reads),
// has no operations, still has its body, and is of inc's type. It returns the first body, as
// a quarantined body (Body, ReceivedAt, RemoteAddr), or nil when the event
// keeps it. The mapping workers take pending events only: one already
// mapped (or being mapped) is never changed under them.
func takeLaterBody(ctx context.Context, tx pgx.Tx, inc syncd.Incoming, id int64) (*syncd.Quarantine, error) {
	var first syncd.Quarantine
	err := tx.QueryRow(ctx, `SELECT body, received_at, remote_addr FROM events
		WHERE id = $1 AND map_state IN ('unmappable', 'ignored') AND type = $2 AND length(body) > 0
		AND NOT EXISTS (SELECT 1 FROM outbox WHERE event_id = events.id) FOR UPDATE`, id, inc.Type).
		Scan(&first.Body, &first.ReceivedAt, &first.RemoteAddr)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find an event that came to nothing: %w", err)
	}
	var payload []byte // NULL unless the body needed the lenient pass
	if inc.Payload != nil {
		payload = inc.Payload
	}
	if _, err := tx.Exec(ctx, `UPDATE events SET body = $1, payload = $2, parse = $3, map_state = 'pending',
		map_error = '', mapped_at = NULL WHERE id = $4`, inc.Body, payload, string(inc.Parse), id); err != nil {
		return nil, fmt.Errorf("replace the body of an event that came to nothing: %w", err)
	}
	return &first, nil
}

// quarantineSQL keeps a body that did not parse; the same bytes again
// within the window ($9) count as one more delivery, or, once an operator
// repaired them into an event, as a duplicate of that event (the second
// column true): the sender's retry needs no second repair. Quarantine is
// rare: two instances receiving the same bad body at the same moment may
// keep it twice, which an operator sees and repairs once.
const quarantineSQL = `
WITH f AS (
  SELECT id, resolved_event_id FROM quarantine WHERE source = $1 AND body_sha256 = $4 AND received_at >= $9
  ORDER BY id LIMIT 1
), r AS (
  UPDATE events SET deliveries = deliveries + 1, last_delivery_at = $8
  WHERE id = (SELECT resolved_event_id FROM f)
  RETURNING id
), c AS (
  UPDATE quarantine SET deliveries = deliveries + 1, last_delivery_at = $8
  WHERE id = (SELECT id FROM f WHERE resolved_event_id IS NULL)
  RETURNING id
), n AS (
  INSERT INTO quarantine (source, kind, body, body_sha256, reason, received_at, last_delivery_at, remote_addr,
    changed_of)
  SELECT $1, $2, $3, $4, $5, $6, $6, $7, 0 WHERE NOT EXISTS (SELECT 1 FROM f)
  RETURNING id
)
SELECT id, true FROM r UNION ALL SELECT id, false FROM c UNION ALL SELECT id, false FROM n`

// Ready reports whether a delivery offered now would be stored: a small
// real write is committed (an empty transaction succeeds on a database
// that refuses writes, e.g. a standby after a failover). It is /readyz.
func (in *Intake) Ready(ctx context.Context) error {
	_, err := in.db.pool.Exec(ctx, `INSERT INTO state (name, value, updated_at) VALUES ('ready_probe', '', $1)
		ON CONFLICT (name) DO UPDATE SET updated_at = excluded.updated_at`, in.db.now())
	if err != nil {
		// with its cause: a server that stopped is an outage the
		// daemon's log tells once, not at each probe
		return fmt.Errorf("%w: %w", syncd.Errorf(syncd.EUnavailable, "store not writable"), err)
	}
	return nil
}
