// Package syncer drains the outbox into one CRM: on a cron schedule (and
// shortly after new operations arrive) it claims due operations with a
// lease, contacts before their deals, calls the CRM adapter in batches and
// records each result: done with the CRM id, rescheduled with back-off, or
// dead-lettered with the CRM's reason. An authentication failure or a spent
// daily quota pauses the whole adapter rather than failing every operation.
package syncer

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/schedule"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Store is the outbox the syncer drains; *sqlite.DB implements it.
type Store interface {
	// FinishAndClaimOps, in one transaction, records finished (as
	// FinishOps) and then leases up to limit due operations of one kind
	// for target, counting an attempt on each; deals only once their
	// contact is no longer pending.
	FinishAndClaimOps(ctx context.Context, finished []syncd.Op, target string, kind syncd.RecordKind,
		limit int, lease time.Duration) ([]syncd.Op, error)
	// FinishOps stores State, Attempts, NextAttemptAt, LastError and CRMID
	// of claimed operations, ends their leases and records the CRM ids of
	// those done.
	FinishOps(ctx context.Context, ops []syncd.Op) error
	// LinksFor returns the CRM ids known for keys, by key.
	LinksFor(ctx context.Context, target string, kind syncd.RecordKind, keys []string) (map[string]string, error)
	// AdapterPause returns the adapter's pause (a zero Until: none).
	AdapterPause(ctx context.Context, target string) (syncd.Pause, error)
	// SetAdapterPause pauses the adapter (a zero Until lifts the pause).
	SetAdapterPause(ctx context.Context, target string, p syncd.Pause) error
	// SetLastSyncDrained records t, the end of a run that found nothing
	// left due, as the last sync, unless a lease holds a pending operation
	// of target then (another process sends it, or one killed mid-send
	// held it: not all that was due went); it reports whether it did.
	SetLastSyncDrained(ctx context.Context, target string, t time.Time) (bool, error)
	// GetOp returns the operation of that id (a syncd.ENotFound error when
	// there is none): whether one set aside is still pending.
	GetOp(ctx context.Context, id int64) (syncd.Op, error)
	// StateValue returns the persisted value called name and whether it
	// is set, and SwapStateValue sets it to value if it holds old now
	// (unset holds "") and reports whether it did: the operations set
	// aside are kept so across restarts (keep.go), and two processes
	// setting some aside at once merge their writes, neither going over
	// the other's.
	StateValue(ctx context.Context, name string) (string, bool, error)
	SwapStateValue(ctx context.Context, name, old, value string) (bool, error)
	// RequeueContact forgets the CRM id of a contact the CRM no longer has
	// and makes its newest done operation pending again; it reports
	// whether one was revived.
	RequeueContact(ctx context.Context, target, key string) (bool, error)
}

// Options configure a Syncer. Store and CRM are required; every other zero
// field takes the default given on it.
type Options struct {
	Store Store     // the outbox (*sqlite.DB)
	CRM   syncd.CRM // the adapter; its Name is the outbox target drained
	// Log receives run summaries (info, summed over SummaryEvery; each run
	// at debug), failed records (warn, ids only) and pauses (error: the
	// alarm); CRM messages only at debug.
	Log zerolog.Logger
	// SummaryEvery is how often the runs with work, or while paused, are
	// summed in one info line (default 1m; also at stop).
	SummaryEvery time.Duration
	// Now is the clock (default time.Now, or Clock's Now when Clock is
	// set). Give the store the same clock.
	Now func() time.Time
	// Clock is what the scheduled runs are timed by (default
	// schedule.System()); Now must read the same wall clock.
	Clock schedule.Clock
	// Schedule is the robfig/cron spec of the regular runs (default
	// "@every 1m"); standard 5-field specs and descriptors are accepted.
	Schedule string
	// Location is the time zone Schedule's times are in (default UTC; the
	// daemon gives report.time_zone); a time the clocks skip runs as they
	// jump (schedule.Parse).
	Location *time.Location
	// NudgeDelay is how long after Nudge a prompt run starts, so that a
	// burst of new operations goes out together (default 5s; negative
	// turns prompt runs off: config sync.prompt_delay 0 maps to -1).
	NudgeDelay time.Duration
	// BatchSize is the most records per CRM call (default 100, HubSpot's
	// batch limit).
	BatchSize int
	// Lease is how long claimed operations stay invisible to other runs
	// (default 5m). It must exceed CallTimeout.
	Lease time.Duration
	// CallTimeout bounds one CRM call, retries inside the client included
	// (default half the lease).
	CallTimeout time.Duration
	// MaxAttempts is how many attempts a transient failure gets before its
	// operation is dead-lettered (default 10).
	MaxAttempts int
	// RetryBase and RetryMax bound the exponential back-off between
	// attempts (defaults 30s and 1h); jitter takes it down by up to half.
	RetryBase time.Duration
	RetryMax  time.Duration
	// CoolMax is the longest cool-down between calls into an outage
	// (default 10m, or RetryMax if shorter), unless the CRM's Retry-After
	// asks for longer: a CRM back is noticed within minutes.
	CoolMax time.Duration
	// AuthPause is how long a rejected token pauses the adapter before the
	// next try (default 15m): long enough not to hammer the CRM, short
	// enough that a fixed credential is picked up without a restart.
	AuthPause time.Duration
	// DailyPause is the pause after a daily-limit answer that did not say
	// when the limit resets (default 1h).
	DailyPause time.Duration
	// Jitter returns a random duration in [0, d) (default math/rand/v2).
	Jitter func(d time.Duration) time.Duration
	// Check, if set, checks the CRM account against the mappings (`syncd
	// crm check`); nil when it passes. It runs before a configuration
	// pause ends: the adapter resumes only once it passes, or when its
	// error wraps ErrCheckUnread (it could not read the account).
	Check func(ctx context.Context) error
	// ConfigPause is how long a configuration error (a property missing or
	// not unique, an invalid option) pauses the adapter before the check
	// runs again (default 2m).
	ConfigPause time.Duration
	// Outage, if set, is told when a CRM call fails as a whole (the CRM
	// looks down: see RunOnce) since when every call has failed so and
	// until when no call is tried (the cool-down), and zero times once a
	// call goes through again. why says how the last call failed, as
	// Summary.Outage ("429 Too Many Requests": the CRM's rate limit;
	// "" with zero times). It must not block.
	Outage func(since, until time.Time, why string)
	// Probe, if set, asks the CRM read-only calls other than the
	// batches' (the account check, quietly) and returns nil when it
	// answered them all (whatever the check found of the account). After a batch's whole call failed for want of
	// the CRM (no answer once sent, 502, 503, 504) the syncer calls it: nil
	// says the CRM answers other calls, so the trouble is that batch (a
	// 504 to a request too large, say), not an outage: it is set aside
	// for a while (back-off up to CoolMax, sent apart from the leads
	// claimed with it from then on) and the leads behind it go on. Without
	// a Probe, or when it fails, such a failure is an outage (a cool-down).
	Probe func(ctx context.Context) error
	// ProbeEvery is the least time between two runs of Probe while the
	// CRM keeps failing as when the last one failed (default 10m): an
	// outage runs it once per ProbeEvery, not at every try. A call that
	// goes through, a failure of another kind (a 504 after 503s) or a
	// passing Check lets it run at once. A call no request of which
	// reached the CRM (CRMError.Unreached: refused, DNS, TLS) never runs
	// it.
	ProbeEvery time.Duration
	// Once, if set, marks the context of a call to be sent once, not
	// resent by the adapter's client whatever the answer (the daemon
	// gives crm.SendOnce): the halves of a batch set aside (see Probe)
	// go under it, as the call they halve has just failed and each
	// resend of a half is one more request into a call the CRM does not
	// take; so do the calls of a try into an outage the syncer knows
	// of (each such try is itself a resend). Nil: they go as any call.
	Once func(ctx context.Context) context.Context
	// ByHand is set for a syncer that runs once and ends with its
	// process (`syncd sync`). A call failed as a whole ends its run, and
	// the cool-down it keeps holds nothing back once it exits, so its
	// warning says what the run left, not "cooling down" until a time no
	// run of its waits for (the command says what sends what waits). And
	// as its next run is whenever the operator runs it again (the groups
	// set aside are kept between its runs), a batch whose whole call
	// failed as Probe describes is halved in the same run, once Probe
	// passes, as a set-aside group is halved at its next try: such a
	// syncer would otherwise send the batch whole, and set it aside
	// whole, at every run, and never isolate the operation the CRM never
	// takes nor send the leads claimed with it.
	ByHand bool
	// Stuck, if set, is told after a run that changed them the
	// operations whose calls the CRM failed as a whole twice or more in
	// a row while it answered other calls, the last time with them alone
	// (none: nil), since when and how (as Summary.Outage). They never go
	// by themselves: the operator gives them up (syncd outbox give-up).
	// The others of a call so failed are not yet isolated: they are
	// halved further, and never told. It must not block.
	Stuck func(ops []int64, since time.Time, why string)
	// Answered, if set, is called in the run after each CRM call that
	// went through (the CRM answered, if only with a 401; not a write
	// the adapter's account pin refused, the token another account's):
	// the daemon checks the account again then when its last check
	// failed.
	Answered func(ctx context.Context)
	// Told, if set, is offered the error of each run that failed; when it
	// returns true the error was told elsewhere (the daemon's database
	// outage log, which holds a session the server ended and says it
	// with say unless an outage began meanwhile) and the syncer logs
	// nothing of it. Nil: every failed run is an error line ("sync run").
	Told func(err error, say func(error)) bool
	// Progress, if set, is called after each claimed batch is handled with
	// the number of operations in it (the progress line of `syncd sync`).
	// It must not block.
	Progress func(ops int)
	// Running, if set, is told when a run begins to send (its start) and
	// when it ends (the zero time): `syncd status` tells a drain's pace
	// only while a run sends. It must not block.
	Running func(since time.Time)
}

// Syncer drains the outbox of one CRM target.
type Syncer struct {
	opt    Options
	target string
	sched  cron.Schedule
	log    zerolog.Logger
	nudge  chan struct{}
	run    sync.Mutex // one run at a time; guards the cool-down below

	coolUntil  time.Time // no run before then: the CRM looked down
	coolStreak int       // consecutive calls that failed as a whole
	coolSince  time.Time // when the first of them failed (kept by a resume)

	// stuck holds the operations set aside (see stuck.go), by id, and
	// stuckWhy how their last call failed; toldStuck is what Stuck was
	// last told. Guarded by run.
	stuck     map[int64]stuckOp
	stuckWhy  string
	toldStuck []int64
	groups    int // the groups of operations set aside so far (stuckOp.group)
	// loaded is set once those a previous syncer kept are read (keep.go),
	// and kept is the state row's value as last read or written;
	// keepFailed says the last write of them failed (said once).
	loaded     bool
	kept       string
	keepFailed bool

	mu sync.Mutex
	// pauseClass and pauseProperty say why the current pause was made
	// (ErrRetry, the zero value, when not known: after a restart); cleared
	// holds when a passing check lifted a configuration pause, by property
	// (see configFailure).
	pauseClass    syncd.ErrClass
	pauseProperty string
	cleared       map[string]time.Time
	// probeFailed is when Probe last failed and probeFailedOn the failure
	// it ran for (zero once a call went through or a check passed): see
	// ProbeEvery.
	probeFailed   time.Time
	probeFailedOn failure
	// everyBatch is how the batch endpoint failed every call of a halving
	// (see endpointDown), set while it fails so: the probe is not run
	// then, the failure read as an outage, until a call goes through.
	everyBatch *failure
	// seenPause is the end of the pause this syncer last made or read:
	// when the store no longer has it before then, another process
	// (`syncd sync -resume`) lifted it.
	seenPause time.Time
	// madePause is the pause the current run made, recorded once the
	// run has written back what it held (recordPause).
	madePause *madePause
}

// New checks opts, fills in the defaults and returns a Syncer for
// opts.CRM's target.
func New(opts Options) (*Syncer, error) {
	if opts.Store == nil || opts.CRM == nil {
		return nil, fmt.Errorf("new syncer: store and crm are required")
	}
	setDefaults(&opts)
	if opts.CallTimeout >= opts.Lease {
		return nil, fmt.Errorf("new syncer: call timeout %s must be shorter than the lease %s", opts.CallTimeout, opts.Lease)
	}
	sched, err := schedule.Parse(opts.Schedule, opts.Location)
	if err != nil {
		return nil, fmt.Errorf("new syncer: %w", err)
	}
	target := opts.CRM.Name()
	return &Syncer{
		opt:     opts,
		target:  target,
		sched:   sched,
		log:     opts.Log.With().Str("component", "syncer").Str("target", target).Logger(),
		nudge:   make(chan struct{}, 1),
		cleared: map[string]time.Time{},
		stuck:   map[int64]stuckOp{},
	}, nil
}

func setDefaults(o *Options) {
	if o.Now == nil && o.Clock != nil {
		o.Now = o.Clock.Now
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Schedule == "" {
		o.Schedule = "@every 1m"
	}
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.NudgeDelay == 0 {
		o.NudgeDelay = 5 * time.Second
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 100
	}
	if o.SummaryEvery <= 0 {
		o.SummaryEvery = time.Minute
	}
	if o.Lease <= 0 {
		o.Lease = 5 * time.Minute
	}
	if o.CallTimeout <= 0 {
		o.CallTimeout = o.Lease / 2
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	if o.RetryBase <= 0 {
		o.RetryBase = 30 * time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = time.Hour
	}
	if o.CoolMax <= 0 || o.CoolMax > o.RetryMax {
		o.CoolMax = min(10*time.Minute, o.RetryMax)
	}
	if o.ProbeEvery <= 0 {
		o.ProbeEvery = 10 * time.Minute
	}
	if o.AuthPause <= 0 {
		o.AuthPause = 15 * time.Minute
	}
	if o.DailyPause <= 0 {
		o.DailyPause = time.Hour
	}
	if o.ConfigPause <= 0 {
		o.ConfigPause = 2 * time.Minute
	}
	if o.Jitter == nil {
		o.Jitter = func(d time.Duration) time.Duration {
			if d <= 0 {
				return 0
			}
			return rand.N(d)
		}
	}
}

// Target is the name of the CRM this syncer delivers to.
func (s *Syncer) Target() string { return s.target }

// Nudge asks for a prompt run (after NudgeDelay) because new operations
// arrived. It never blocks; nudges during the delay are merged.
func (s *Syncer) Nudge() {
	select {
	case s.nudge <- struct{}{}:
	default:
	}
}

// Resume lifts a pause of the adapter (persisted) and any cool-down, e.g.
// once the operator has fixed the token: the next run goes ahead at once.
// The caller logs who lifted it and why.
func (s *Syncer) Resume(ctx context.Context) error {
	s.run.Lock()
	defer s.run.Unlock()
	if err := s.opt.Store.SetAdapterPause(ctx, s.target, syncd.Pause{}); err != nil {
		return fmt.Errorf("resume %s: %w", s.target, err)
	}
	// The next run tries at once; whether the CRM answers, it tells.
	s.coolUntil, s.coolStreak = time.Time{}, 0
	s.mu.Lock()
	s.pauseClass, s.pauseProperty, s.seenPause = syncd.ErrRetry, "", time.Time{}
	s.mu.Unlock()
	return nil
}
