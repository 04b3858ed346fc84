package mapping

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/ratelog"
	"github.com/syncd-dev/syncd/internal/sender"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store is what the mapping worker needs from the event store
// (*sqlite.DB implements it).
type Store interface {
	// PendingEvents returns up to limit unmapped events with id > afterID,
	// in id order, payload filled.
	PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error)
	// RecordMappings enqueues the ops and sets the mapping state of many
	// events in one transaction, returning how many ops were new.
	RecordMappings(ctx context.Context, ms []syncd.Mapping) (int, error)
}

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	Store Store
	// Rules map the events; nil holds the worker: it maps nothing, every
	// event staying pending, until SetRules gives it rules (the mapping
	// files did not load as the daemon started).
	Rules *Rules
	Log   zerolog.Logger
	// Interval is how often pending events are looked for without a Nudge
	// (default 2s).
	Interval time.Duration
	// Batch is how many events one query fetches and one transaction
	// records (default 100).
	Batch int
	// SummaryEvery is how often Run logs at info what it mapped since the
	// last summary (default 1m); each event is logged at debug only.
	SummaryEvery time.Duration
	// OnEnqueued, if set, is called after a pass that enqueued new
	// operations, with their number: e.g. the syncer's Nudge.
	OnEnqueued func(n int)
	// StuckAfter is how long every pass may fail before the worker is
	// stuck (default 5m): leads received since wait unmapped. It is
	// logged once, and OnStuck, if set, is called with since when passes
	// fail, and with the zero time once one works again.
	StuckAfter time.Duration
	OnStuck    func(since time.Time)
	// Gather is how long a pass waits after a Nudge for more events to
	// map in the same transactions (0: none). Under steady intake each
	// commit nudges the worker, and a pass of a few events costs a
	// transaction's fixed work (its pages written to the WAL again) for
	// them alone.
	Gather time.Duration
}

// Worker maps pending events into outbox operations, outside the webhook
// request's path: on a short interval and whenever nudged.
type Worker struct {
	opts  WorkerOptions
	rules atomic.Pointer[Rules]
	nudge chan struct{}
	// lost warns of unmappable leads: at once, then once a minute per
	// rule (a broken rule fails every lead of its kind); and tells of
	// leads no rule maps, once a minute per event type.
	lost *ratelog.Limiter
}

// NewWorker returns a worker; call Run to start it.
func NewWorker(opts WorkerOptions) *Worker {
	if opts.Interval <= 0 {
		opts.Interval = 2 * time.Second
	}
	if opts.SummaryEvery <= 0 {
		opts.SummaryEvery = time.Minute
	}
	if opts.Batch <= 0 {
		opts.Batch = 100
	}
	if opts.StuckAfter <= 0 {
		opts.StuckAfter = 5 * time.Minute
	}
	w := &Worker{opts: opts, nudge: make(chan struct{}, 1), lost: ratelog.New(opts.Log, time.Minute, nil)}
	w.rules.Store(opts.Rules)
	return w
}

// SetRules replaces the rules (e.g. reloaded on SIGHUP). Events mapped from
// then on use the new rules; operations already enqueued are unchanged.
// Rules given to a held worker (nil rules) map the events that waited.
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

// failures are the passes that failed in a row, since when, and their
// log; stuck once they have failed for StuckAfter.
type failures struct {
	n      int
	logged bool // a failure of these was logged: their end is too
	since  time.Time
	stuck  bool
	errs   *ratelog.Limiter
}

// logPass logs a failed pass, the first at once and then at most one a
// minute with the count (a database down fails every pass: an hour was
// 1,800 lines on each instance), and the first pass that works after
// failures, once. Passes failing for StuckAfter make the worker stuck
// (logStuck). A failure the database outage's own log told
// (dbdown.IsTold) is counted but not logged here: that log says the
// database is gone, that leads are not mapped, and when it is back.
func (w *Worker) logPass(err error, f *failures) {
	switch {
	case err != nil:
		if f.n == 0 { // a new outage is logged at once
			f.errs, f.since, f.logged = ratelog.New(w.opts.Log, time.Minute, nil), time.Now(), false
		}
		f.n++
		told := dbdown.IsTold(err)
		if !told {
			f.errs.Error("map", err, "map events", nil)
			f.logged = true
		}
		if !f.stuck && time.Since(f.since) >= w.opts.StuckAfter {
			f.stuck = true
			w.logStuck(err, f, told)
		}
	case f.n > 0:
		f.errs.Discard() // "working again" counts the failed passes, those held back too
		if f.logged {
			w.opts.Log.Info().Int("failed_passes", f.n).Msg("map events: working again")
		}
		if f.stuck && w.opts.OnStuck != nil {
			w.opts.OnStuck(time.Time{})
		}
		f.n, f.stuck = 0, false
	}
}

// logStuck says once that every pass has failed for StuckAfter, unless
// the outage's log told the failure (told), and calls OnStuck.
func (w *Worker) logStuck(err error, f *failures, told bool) {
	if w.opts.OnStuck != nil {
		defer w.opts.OnStuck(f.since)
	}
	if told {
		return
	}
	f.logged = true
	w.opts.Log.Error().Err(err).Time("since", f.since).Int("failed_passes", f.n).
		Str("fix", "leads received since wait unmapped, none sent to the CRM: see why in the error; "+
			"syncd status says whether the database is reachable; they are mapped by themselves once a pass works").
		Msg("map events: stuck, every pass failing")
}

// Run maps pending events until ctx ends. A failing pass is logged and
// retried on the next tick; Run returns nil when ctx ends.
func (w *Worker) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.Interval)
	defer t.Stop()
	total := PassSummary{ByState: map[syncd.MapState]int{}}
	last := time.Now()
	failing := &failures{}
	for {
		sum, reached, err := w.pass(ctx)
		switch {
		case ctx.Err() == nil:
			w.logPass(err, failing)
		case reached && err == ctx.Err(): // stopped after the store answered: an outage before is over
			w.logPass(nil, failing)
		}
		total.add(sum)
		if time.Since(last) >= w.opts.SummaryEvery || ctx.Err() != nil {
			w.logSummary(total, time.Since(last))
			total, last = PassSummary{ByState: map[syncd.MapState]int{}}, time.Now()
		}
		select {
		case <-ctx.Done():
			w.lost.Close() // the counts of leads held back
			if failing.errs != nil {
				failing.errs.Close()
			}
			return nil
		case <-t.C:
		case <-w.nudge:
			w.gather(ctx)
		}
	}
}

// gather waits Gather after a nudge (or until ctx ends).
func (w *Worker) gather(ctx context.Context) {
	if w.opts.Gather <= 0 {
		return
	}
	t := time.NewTimer(w.opts.Gather)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (w *Worker) logSummary(sum PassSummary, since time.Duration) {
	if sum.Events == 0 {
		return
	}
	ev := w.opts.Log.Info().Int("events", sum.Events).Int("ops_enqueued", sum.Enqueued).Dur("over", since.Round(time.Millisecond))
	for state, n := range sum.ByState {
		ev = ev.Int(string(state), n)
	}
	ev.Msg("mapped events")
}

// PassSummary counts what one pass did.
type PassSummary struct {
	Events   int // events mapped (in any state)
	Enqueued int // new outbox operations
	ByState  map[syncd.MapState]int
}

func (s *PassSummary) add(o PassSummary) {
	s.Events += o.Events
	s.Enqueued += o.Enqueued
	for state, n := range o.ByState {
		s.ByState[state] += n
	}
}

// RunOnce maps every event pending now, a batch per transaction, and
// returns what it did; held (no rules), nothing.
func (w *Worker) RunOnce(ctx context.Context) (PassSummary, error) {
	sum, _, err := w.pass(ctx)
	return sum, err
}

// pass is RunOnce, saying too whether the store answered (reached): a
// pass cut short by ctx after the store answered shows the database works.
func (w *Worker) pass(ctx context.Context) (sum PassSummary, reached bool, err error) {
	sum = PassSummary{ByState: map[syncd.MapState]int{}}
	if w.rules.Load() == nil {
		return sum, false, nil
	}
	defer func() {
		if sum.Enqueued > 0 && w.opts.OnEnqueued != nil {
			w.opts.OnEnqueued(sum.Enqueued)
		}
	}()
	var after int64
	ms := make([]syncd.Mapping, 0, w.opts.Batch)
	for ctx.Err() == nil {
		evs, err := w.opts.Store.PendingEvents(ctx, after, w.opts.Batch)
		if err != nil {
			return sum, reached, fmt.Errorf("pending events: %w", err)
		}
		reached = true
		if len(evs) == 0 {
			break
		}
		// The batch's states count once it is recorded: a batch whose
		// write failed (a database locked, damaged, its disk full) is
		// mapped again next pass, and each try was counted, the minute's
		// "mapped events" line saying 30 mapped where none was.
		batch := PassSummary{ByState: map[syncd.MapState]int{}}
		ms = w.mapBatch(evs, ms[:0], &batch)
		n, err := w.record(ctx, ms, &batch)
		if err != nil {
			return sum, reached, fmt.Errorf("record mapping of events %d-%d: %w", evs[0].ID, evs[len(evs)-1].ID, err)
		}
		for state, k := range batch.ByState {
			sum.ByState[state] += k
		}
		sum.Events += len(evs)
		sum.Enqueued += n
		after = evs[len(evs)-1].ID
		if len(evs) < w.opts.Batch {
			break
		}
	}
	return sum, reached, ctx.Err()
}

// mapBatch maps evs with the rules in use, appending to ms.
func (w *Worker) mapBatch(evs []syncd.Event, ms []syncd.Mapping, sum *PassSummary) []syncd.Mapping {
	rules := w.rules.Load()
	debug := w.opts.Log.Debug().Enabled()
	for _, ev := range evs {
		res := rules.Map(ev)
		ms = append(ms, syncd.Mapping{EventID: ev.ID, State: res.State, Reason: res.Reason, Ops: res.Ops})
		sum.ByState[res.State]++
		switch {
		case res.State == syncd.MapUnmappable:
			w.warnUnmappable(ev, res)
		case res.State == syncd.MapIgnored && sender.IsLead(ev.Kind, ev.Type):
			w.noteIgnored(ev, res.Reason)
		}
		if debug { // Reason may quote payload values: debug level only.
			w.opts.Log.Debug().Int64("event", ev.ID).Str("source", ev.Source).Str("state", string(res.State)).
				Str("rule", res.Rule).Int("ops", len(res.Ops)).Str("reason", res.Reason).Msg("mapped event")
		}
	}
	return ms
}

// noteIgnored says, at info, which lead no rule maps (no rule for its
// type, or no rule's when: holding for it): it is never sent to the CRM,
// which a mistaken when: or event: did without a word. At most one line
// a minute per event type, the others counted; reason names only the
// kind and type (a lead's type is one its sender documents). Info, not
// warn: a when: may leave leads out on purpose.
func (w *Worker) noteIgnored(ev syncd.Event, reason string) {
	w.lost.Log(zerolog.InfoLevel, "ignored "+string(ev.Kind)+" "+ev.Type, nil, "lead ignored: no rule maps it, not sent to the CRM",
		func(e *zerolog.Event) {
			e.Int64("event", ev.ID).Str("source", ev.Source).Str("reason", reason).
				Str("fix", fmt.Sprintf("if it is a lead to send, fix the rule's when: or event: (syncd validate), reload, "+
					"and run syncd replay -since the day event %d was received (syncd events show %d): it maps the leads ignored so", ev.ID, ev.ID))
		})
}

// warnUnmappable says which lead a rule could not map, so never sends to
// the CRM: its event and rule, not its reason, which may quote the
// payload's values (personal data), but the file and line of the property
// or when: that failed, when one did. More of the same rule within a minute
// are counted on its next line ("repeated").
func (w *Worker) warnUnmappable(ev syncd.Event, res Result) {
	w.lost.Log(zerolog.WarnLevel, res.Rule, nil, "lead unmappable: not sent to the CRM", func(e *zerolog.Event) {
		if res.File != "" { // as the mapping warnings at start name their place
			e.Str("mapping", res.File).Int("line", res.Line)
		}
		e.Int64("event", ev.ID).Str("source", ev.Source).Str("rule", res.Rule).
			Str("fix", fmt.Sprintf("see why in syncd events list (MAPPING) and the lead in syncd events show %d; "+
				"fix the mapping and run syncd replay, or enter the lead in the CRM by hand", ev.ID))
	})
}
