package mapping

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store is what the mapping worker needs from the event store
// (*sqlite.DB implements it).
type Store interface {
	// PendingEvents returns up to limit unmapped events with id > afterID,
	// in id order, payload filled.
	PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error)
	// RecordMapping enqueues ops and sets the event's mapping state in one
	// transaction, returning how many ops were new.
	RecordMapping(ctx context.Context, eventID int64, state syncd.MapState, reason string, ops []syncd.Op) (int, error)
}

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	Store Store
	Rules *Rules
	Log   zerolog.Logger
	// Interval is how often pending events are looked for without a Nudge
	// (default 2s).
	Interval time.Duration
	// Batch is how many events one query fetches (default 100).
	Batch int
	// OnEnqueued, if set, is called after a pass that enqueued new
	// operations, with their number: e.g. the syncer's Nudge.
	OnEnqueued func(n int)
}

// Worker maps pending events into outbox operations, outside the webhook
// request's path: on a short interval and whenever nudged.
type Worker struct {
	opts  WorkerOptions
	rules atomic.Pointer[Rules]
	nudge chan struct{}
}

// NewWorker returns a worker; call Run to start it.
func NewWorker(opts WorkerOptions) *Worker {
	if opts.Interval <= 0 {
		opts.Interval = 2 * time.Second
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	w := &Worker{opts: opts, nudge: make(chan struct{}, 1)}
	w.rules.Store(opts.Rules)
	return w
}

// SetRules replaces the rules (e.g. reloaded on SIGHUP). Events mapped from
// then on use the new rules; operations already enqueued are unchanged.
func (w *Worker) SetRules(r *Rules) { w.rules.Store(r) }

// Rules returns the rules in use.
func (w *Worker) Rules() *Rules { return w.rules.Load() }

// Nudge asks for a pass soon, e.g. after the receiver committed events. It
// never blocks.
func (w *Worker) Nudge() {
	select {
	case w.nudge <- struct{}{}:
	default:
	}
}

// Run maps pending events until ctx ends. A failing pass is logged and
// retried on the next tick; Run returns nil when ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.Interval)
	defer t.Stop()
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.opts.Log.Error().Err(err).Msg("map events")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-w.nudge:
		}
	}
}

// PassSummary counts what one pass did.
type PassSummary struct {
	Events   int // events mapped (in any state)
	Enqueued int // new outbox operations
	ByState  map[syncd.MapState]int
}

// RunOnce maps every event pending now, in batches, and returns what it did.
func (w *Worker) RunOnce(ctx context.Context) (PassSummary, error) {
	sum := PassSummary{ByState: map[syncd.MapState]int{}}
	defer func() {
		if sum.Enqueued > 0 && w.opts.OnEnqueued != nil {
			w.opts.OnEnqueued(sum.Enqueued)
		}
	}()
	var after int64
	for ctx.Err() == nil {
		evs, err := w.opts.Store.PendingEvents(ctx, after, w.opts.Batch)
		if err != nil {
			return sum, fmt.Errorf("pending events: %w", err)
		}
		rules := w.rules.Load()
		for _, ev := range evs {
			res := rules.Map(ev)
			n, err := w.opts.Store.RecordMapping(ctx, ev.ID, res.State, res.Reason, res.Ops)
			if err != nil {
				return sum, fmt.Errorf("record mapping of event %d: %w", ev.ID, err)
			}
			sum.Events++
			sum.Enqueued += n
			sum.ByState[res.State]++
			after = ev.ID
			// Reason may quote payload values; keep it at debug level.
			w.opts.Log.Info().Int64("event", ev.ID).Str("source", ev.Source).Str("state", string(res.State)).
				Str("rule", res.Rule).Int("ops", n).Msg("mapped event")
			w.opts.Log.Debug().Int64("event", ev.ID).Str("reason", res.Reason).Msg("mapping reason")
		}
		if len(evs) < w.opts.Batch {
			break
		}
	}
	return sum, ctx.Err()
}
