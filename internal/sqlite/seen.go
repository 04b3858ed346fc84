package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// seenKey identifies one idempotency key of one source: 128 bits of
// SHA-256, so a million keys collide with odds of about 1 in 10^26.
type seenKey [16]byte

type seenEntry struct {
	id int64 // the first event with this key
	at int64 // when it was received, Unix nanoseconds
}

// seenSet is the writer's memory of the latest idempotency keys: those of
// the events after seen_keys' mark (see seen_keys.go). Keys a batch adds are
// staged and become seen only when the batch's transaction commits: a
// rolled-back event must not make a later delivery look like its duplicate.
// Once sealEvery keys are seen, they are handed to the sealer, which writes
// them to seen_keys; until it is done they stay readable here.
type seenSet struct {
	window    time.Duration
	sealEvery int
	keys      map[seenKey]seenEntry // committed, not yet sealed
	sealing   map[seenKey]seenEntry // handed to the sealer: read-only until it is done
	spare     map[seenKey]seenEntry // an emptied sealing map, kept for its buckets
	staged    map[seenKey]seenEntry
	maxID     int64 // the highest event id the set has looked at
	stagedMax int64
	hash      func(seenKey) int64 // a key's row in seen_keys: sealedHash (tests force collisions)
}

func seenKeyOf(source, key string) seenKey {
	h := sha256.New()
	h.Write([]byte(source))
	h.Write([]byte{0})
	h.Write([]byte(key))
	var k seenKey
	copy(k[:], h.Sum(nil))
	return k
}

// sealedHash is the first 64 bits of the key: seen_keys' primary key.
func sealedHash(k seenKey) int64 { return int64(binary.BigEndian.Uint64(k[:8])) }

// queryer is a *sql.DB, a *sql.Conn or a *sql.Tx: what a read needs.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// writerConn is the writer pool or the intake writer's own connection.
type writerConn interface {
	queryer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

func newSeenSet(window time.Duration, sealEvery int) *seenSet {
	return &seenSet{window: window, sealEvery: sealEvery, keys: map[seenKey]seenEntry{},
		staged: map[seenKey]seenEntry{}, hash: sealedHash}
}

// loadSeen reads the keys of the events received within the window that
// seen_keys does not hold yet (after its mark). Past sealEvery keys, it
// seals them at once (an upgrade from a version without seen_keys, or a
// mark a crash or power cut took back), so memory stays flat here too.
func (in *Intake) loadSeen(ctx context.Context, q writerConn, now time.Time) (*seenSet, error) {
	s := newSeenSet(in.window, in.sealEvery)
	if in.hash != nil {
		s.hash = in.hash
	}
	through, err := in.sealedThrough(ctx, q)
	if err != nil {
		return nil, err
	}
	var last int64 // read first: an event stored meanwhile is read twice, never missed
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM events`).Scan(&last); err != nil {
		return nil, fmt.Errorf("load idempotency keys: %w", err)
	}
	query, arg := catchUpSQL, any(through)
	if through == 0 { // nothing sealed: the window's events, by their index
		query, arg = `SELECT id, source, idem_key, received_at FROM events WHERE received_at >= ? ORDER BY id`,
			fmtTime(now.Add(-in.window))
	}
	seal := func() error {
		job, ok := s.startSeal()
		if !ok {
			return nil
		}
		if err := in.seal(ctx, job); err != nil {
			return err
		}
		s.sealed()
		return nil
	}
	rows, err := q.QueryContext(ctx, query, arg)
	if err := s.read(rows, err, now, seal); err != nil { // a seal's mark is the last id read
		return nil, err
	}
	s.maxID = max(s.maxID, last, through)
	return s, nil
}

// catchUp reads the keys of events another process stored since the set
// last looked (a quarantine repair from the command line). Run inside the
// batch's transaction, which holds the write lock, nothing can slip in
// between; normally it finds nothing, by the rowid index.
// catchUp is its statement.
func (s *seenSet) catchUp(ctx context.Context, catchUp *sql.Stmt, now time.Time) error {
	rows, err := catchUp.QueryContext(ctx, s.maxID)
	return s.read(rows, err, now, nil)
}

// catchUpSQL reads the keys of the events after an id.
const catchUpSQL = `SELECT id, source, idem_key, received_at FROM events WHERE id > ? ORDER BY id`

// read adds the keys of rows (id, source, idem_key, received_at), err the
// query's; full, when set, is called whenever sealEvery keys are waiting.
func (s *seenSet) read(rows *sql.Rows, err error, now time.Time, full func() error) error {
	if err != nil {
		return fmt.Errorf("load idempotency keys: %w", err)
	}
	defer rows.Close()
	oldest := now.Add(-s.window).UnixNano()
	for rows.Next() {
		var id int64
		var source, key, received string
		if err := rows.Scan(&id, &source, &key, &received); err != nil {
			return fmt.Errorf("load idempotency keys: %w", err)
		}
		s.maxID = max(s.maxID, id)
		at, _ := syncd.ParseTime(received)
		k := seenKeyOf(source, key)
		if _, dup := s.keys[k]; !dup && at.UnixNano() >= oldest { // keep the first event with the key
			s.keys[k] = seenEntry{id: id, at: at.UnixNano()}
		}
		if full != nil && len(s.keys) >= s.sealEvery {
			if err := full(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load idempotency keys: %w", err)
	}
	return nil
}

// find returns the first event with key received at or after since among
// the keys in memory.
func (s *seenSet) find(k seenKey, since time.Time) (int64, bool) {
	e, ok := s.staged[k]
	if !ok {
		e, ok = s.keys[k]
	}
	if !ok {
		e, ok = s.sealing[k]
	}
	if !ok || e.at < since.UnixNano() {
		return 0, false
	}
	return e.id, true
}

func (s *seenSet) has(k seenKey, since time.Time) bool {
	_, ok := s.find(k, since)
	return ok
}

// add stages a new event's key.
func (s *seenSet) add(k seenKey, id int64, at time.Time) {
	s.staged[k] = seenEntry{id: id, at: at.UnixNano()}
	s.stagedMax = max(s.stagedMax, id)
}

// begin starts a batch.
func (s *seenSet) begin() { clear(s.staged); s.stagedMax = 0 }

// end finishes a batch: its keys become seen if it committed.
func (s *seenSet) end(committed bool) {
	if committed {
		for k, e := range s.staged {
			s.keys[k] = e
		}
		s.maxID = max(s.maxID, s.stagedMax)
	}
	clear(s.staged)
}

// startSeal hands the seen keys to the sealer once there are sealEvery of
// them and no seal is running. Every event up to maxID is then in the job
// or already sealed (or out of the window).
func (s *seenSet) startSeal() (sealJob, bool) {
	if s.sealing != nil || len(s.keys) < s.sealEvery {
		return sealJob{}, false
	}
	s.sealing, s.keys, s.spare = s.keys, s.spare, nil
	if s.keys == nil {
		s.keys = make(map[seenKey]seenEntry, len(s.sealing))
	}
	return sealJob{keys: s.sealing, through: s.maxID, hash: s.hash}, true
}

// sealed forgets the keys of the finished seal: seen_keys holds them now.
func (s *seenSet) sealed() {
	clear(s.sealing)
	s.spare, s.sealing = s.sealing, nil
}

// sealedMark names the state row holding the highest event id sealed, and
// sealedWindow the one holding the window, in seconds, seen_keys was swept
// with.
const sealedMark, sealedWindow = "seen_keys.through", "seen_keys.window"

// sealedThrough returns seen_keys' mark. When the window is longer than the
// one seen_keys was kept for (or on the first start with seen_keys), it
// resets the mark first: rows of the longer window may have been swept, so
// the window's events are read again.
func (in *Intake) sealedThrough(ctx context.Context, q writerConn) (int64, error) {
	var through, window int64
	err := q.QueryRowContext(ctx, `SELECT
		(SELECT CAST(value AS INTEGER) FROM state WHERE name = ?),
		(SELECT CAST(value AS INTEGER) FROM state WHERE name = ?)`, sealedMark, sealedWindow).
		Scan(nullInt{&through}, nullInt{&window})
	if err != nil {
		return 0, fmt.Errorf("load idempotency keys: %w", err)
	}
	if seconds := int64(in.window / time.Second); window < seconds {
		if err := in.resetSealed(ctx, seconds); err != nil {
			return 0, fmt.Errorf("load idempotency keys: %w", err)
		}
		through = 0
	}
	return through, nil
}

func (in *Intake) resetSealed(ctx context.Context, window int64) error {
	tx, err := in.db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM state WHERE name = ?`, sealedMark); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, setStateSQL, sealedWindow, markValue(window), in.db.now())
	if err != nil {
		return err
	}
	return tx.Commit()
}

// nullInt scans a NULL as 0.
type nullInt struct{ v *int64 }

func (n nullInt) Scan(src any) error {
	var x sql.NullInt64
	err := x.Scan(src)
	*n.v = x.Int64
	return err
}

func markValue(id int64) string { return strconv.FormatInt(id, 10) }
