// Package handoff is what both stores' intakes share (internal/sqlite,
// internal/postgres): their options (Options), and the hand-off of a
// delivery to the writer: a delivery's goroutine queues its
// request for the one writer goroutine and waits for its answer (Call);
// the writer takes every request waiting, up to a batch (Fill),
// and, once closed (Close), refuses new ones while it drains those already
// queued. It stands apart from storeapi, which the stores do not import.
package handoff

import (
	"context"
	"sync"
	"time"
)

// Options tune an intake.
type Options struct {
	// MaxBatch is the most deliveries committed in one transaction
	// (default 512). 1 gives one commit per delivery: the naive baseline.
	MaxBatch int
	// Queue is how many deliveries may wait for the writer (default 4096).
	Queue int
	// Window is how long a delivery's idempotency key makes a later
	// delivery with the same key a duplicate (default DefaultDedupWindow).
	Window time.Duration
}

// DefaultDedupWindow is the duplicate window when Options has none: 14
// days, well past Estate Agent Feeds' two retries (30 minutes apart).
// Lokalebasen does not say how far apart its up to 20 are; one later than
// the window is a second event of the same lead, whose deal the CRM
// already holds.
const DefaultDedupWindow = 14 * 24 * time.Hour

// WithDefaults returns o with the default of each field it leaves unset.
func (o Options) WithDefaults() Options {
	if o.MaxBatch <= 0 {
		o.MaxBatch = 512
	}
	if o.Queue <= 0 {
		o.Queue = 4096
	}
	if o.Window <= 0 {
		o.Window = DefaultDedupWindow
	}
	return o
}

// Queue holds the requests waiting for the writer.
type Queue[R any] struct {
	reqs chan R

	mu     sync.RWMutex // held for reading while sending on reqs
	closed bool
}

// New returns a Queue where up to size requests may wait.
func New[R any](size int) *Queue[R] {
	return &Queue[R]{reqs: make(chan R, size)}
}

// Requests is where the writer receives the requests.
func (q *Queue[R]) Requests() <-chan R { return q.reqs }

// Fill adds to batch whatever else is waiting, up to max requests.
func (q *Queue[R]) Fill(batch []R, max int) []R {
	for len(batch) < max {
		select {
		case r := <-q.reqs:
			batch = append(batch, r)
		default:
			return batch
		}
	}
	return batch
}

// Close makes later Calls return their stopped error; the requests already
// queued stay for the writer to drain (Fill). Once queued, a request is
// answered even while the writer shuts down.
func (q *Queue[R]) Close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
}

// put queues r for the writer. It returns stopped once the queue is
// closed, and ctx's error if ctx ends while the queue is full.
func (q *Queue[R]) put(ctx context.Context, r R, stopped error) error {
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		return stopped
	}
	select {
	case q.reqs <- r:
		q.mu.RUnlock()
		return nil
	case <-ctx.Done():
		q.mu.RUnlock()
		return ctx.Err()
	}
}

// Call queues r for the writer and returns its answer on done: stopped
// once q is closed, ctx's error if ctx ends first.
func Call[R, T any](ctx context.Context, q *Queue[R], r R, done <-chan T, stopped error) (T, error) {
	var zero T
	if err := q.put(ctx, r, stopped); err != nil {
		return zero, err
	}
	select {
	case a := <-done:
		return a, nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}
