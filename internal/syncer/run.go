package syncer

import (
	"context"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/schedule"
)

// Run drains the outbox once at start, then on the schedule and shortly
// after each Nudge, until ctx ends; it then returns nil. Runs never overlap:
// a tick that comes during a run is merged into one run after it. Store
// errors are logged and the next run tries again. schedule.Ticks keeps the
// time: a step of the wall clock moves the runs with it, and is logged at
// info.
func (s *Syncer) Run(ctx context.Context) error {
	tickCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	tick := schedule.Ticks(tickCtx, s.sched, s.opt.Clock, s.log, zerolog.InfoLevel)
	var prompt <-chan time.Time
	runs := runLog{since: time.Now()}
	s.runLogged(ctx, &runs)
	for {
		select {
		case <-ctx.Done():
			s.logRuns(&runs)
			s.keepLeft()
			return nil
		case <-tick:
		case <-s.nudge:
			if s.opt.NudgeDelay < 0 || prompt != nil {
				continue
			}
			prompt = time.After(s.opt.NudgeDelay)
			continue
		case <-prompt:
		}
		prompt = nil
		s.runLogged(ctx, &runs)
	}
}

// runLog sums runs for the info line: under steady traffic the syncer runs
// every prompt delay, and a line per run made a dozen a minute.
type runLog struct {
	runs  int
	sum   Summary
	took  time.Duration
	since time.Time
}

// runLogged runs once, logs it at debug and adds it to runs, which are
// logged at info once SummaryEvery has passed since the last such line, or
// at stop.
func (s *Syncer) runLogged(ctx context.Context, runs *runLog) {
	start := time.Now()
	sum, err := s.RunOnce(ctx)
	if err != nil && ctx.Err() == nil {
		say := func(err error) { s.log.Error().Err(err).Msg("sync run") }
		if s.opt.Told == nil || !s.opt.Told(err, say) {
			say(err)
		}
		return
	}
	if ctx.Err() != nil && sum.Claimed == 0 {
		// Nothing to add, but its pause check may have found the pause
		// lifted by another process (the stop came just after): the
		// line at stop must not give the lifted pause.
		runs.sum.PausedUntil = s.pausedUntil()
		return
	}
	took := time.Since(start)
	logRun(s.log.Debug(), 1, sum, took)
	if sum.Claimed > 0 || !sum.PausedUntil.IsZero() {
		runs.runs++
		runs.took += took
		runs.sum.add(sum)
		runs.sum.Claimed += sum.Claimed
	}
	// As the latest run left it, idle or not: a pause lifted by the
	// operator (syncd sync -resume) no longer shows.
	runs.sum.PausedUntil = sum.PausedUntil
	if ctx.Err() == nil && time.Since(runs.since) >= s.opt.SummaryEvery {
		s.logRuns(runs)
	}
}

// logRuns logs the runs summed since the last line at info, if any did
// work or met a pause, and starts a new sum.
func (s *Syncer) logRuns(runs *runLog) {
	if runs.runs > 0 {
		logRun(s.log.Info(), runs.runs, runs.sum, runs.took)
	}
	*runs = runLog{since: time.Now()}
}

// logRun writes one line for n runs that did sum in took.
func logRun(ev *zerolog.Event, n int, sum Summary, took time.Duration) {
	if !sum.PausedUntil.IsZero() { // a zero time would read as a pause until the year 1
		ev = ev.Time("paused_until", sum.PausedUntil)
	}
	ev.Int("runs", n).Int("calls", sum.Calls).Int("claimed", sum.Claimed).Int("done", sum.Done).Int("retried", sum.Retried).
		Int("dead", sum.Dead).Int("released", sum.Released).Dur("took_ms", took.Round(time.Millisecond)).Msg("sync run")
}

// pausedUntil is the end of the pause this syncer last made or read, zero
// when it found none or found it lifted.
func (s *Syncer) pausedUntil() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seenPause
}
