package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
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

// seenSet is the writer's memory of the idempotency keys received within
// the window. Keys a batch adds are staged and become seen only when the
// batch's transaction commits: a rolled-back event must not make a later
// delivery look like its duplicate. The latest keys are kept in full; every
// sealEvery keys they are packed into a segment of 8 bytes per key.
type seenSet struct {
	window    time.Duration
	sealEvery int
	keys      map[seenKey]seenEntry
	sealed    []seenSegment // oldest first
	staged    map[seenKey]seenEntry
	maxID     int64 // the highest event id the set has looked at
	stagedMax int64
	lastEvict time.Time
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

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// writerConn is the writer pool or the intake writer's own connection.
type writerConn interface {
	queryer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// loadSeen reads the keys of the events received within window before now.
func loadSeen(ctx context.Context, q writerConn, window time.Duration, now time.Time, sealEvery int) (*seenSet, error) {
	s := &seenSet{window: window, sealEvery: sealEvery, keys: map[seenKey]seenEntry{}, staged: map[seenKey]seenEntry{}, lastEvict: now}
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM events`).Scan(&s.maxID); err != nil {
		return nil, fmt.Errorf("load idempotency keys: %w", err)
	}
	err := s.read(ctx, q, `SELECT id, source, idem_key, received_at FROM events WHERE received_at >= ? ORDER BY id`,
		fmtTime(now.Add(-window)), now)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// catchUp reads the keys of events another process stored since the set
// last looked (a quarantine repair from the command line). Run inside the
// batch's transaction, which holds the write lock, nothing can slip in
// between; normally it finds nothing, by the rowid index.
func (s *seenSet) catchUp(ctx context.Context, q queryer, now time.Time) error {
	return s.read(ctx, q, `SELECT id, source, idem_key, received_at FROM events WHERE id > ? ORDER BY id`, s.maxID, now)
}

func (s *seenSet) read(ctx context.Context, q queryer, query string, arg any, now time.Time) error {
	rows, err := q.QueryContext(ctx, query, arg)
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
			s.sealIfFull()
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load idempotency keys: %w", err)
	}
	return nil
}

// find returns the first event with key received at or after since; q is
// the batch's transaction, to confirm a match among the sealed keys.
func (s *seenSet) find(ctx context.Context, q queryer, source, key string, since time.Time) (int64, bool) {
	k := seenKeyOf(source, key)
	if id, ok := s.findSealed(ctx, q, source, key, k, since); ok {
		return id, true
	}
	e, ok := s.staged[k]
	if !ok {
		e, ok = s.keys[k]
	}
	if !ok || e.at < since.UnixNano() {
		return 0, false
	}
	return e.id, true
}

// add stages a new event's key.
func (s *seenSet) add(source, key string, id int64, at time.Time) {
	s.staged[seenKeyOf(source, key)] = seenEntry{id: id, at: at.UnixNano()}
	s.stagedMax = max(s.stagedMax, id)
}

// begin starts a batch.
func (s *seenSet) begin() { clear(s.staged); s.stagedMax = 0 }

// end finishes a batch: its keys become seen if it committed. Once a
// minute, keys older than the window are forgotten.
func (s *seenSet) end(committed bool, now time.Time) {
	if committed {
		for k, e := range s.staged {
			s.keys[k] = e
		}
		s.maxID = max(s.maxID, s.stagedMax)
		s.sealIfFull()
	}
	clear(s.staged)
	if now.Sub(s.lastEvict) < time.Minute {
		return
	}
	s.lastEvict = now
	oldest := now.Add(-s.window).UnixNano()
	for k, e := range s.keys {
		if e.at < oldest {
			delete(s.keys, k)
		}
	}
	s.evictSealed(oldest)
}
