package syncer

import (
	"context"
	"time"

	"github.com/robfig/cron/v3"
)

// Run drains the outbox once at start, then on the schedule and shortly
// after each Nudge, until ctx ends; it then returns nil. Runs never overlap:
// a tick that comes during a run is merged into one run after it. Store
// errors are logged and the next run tries again.
func (s *Syncer) Run(ctx context.Context) error {
	tick := make(chan struct{}, 1)
	c := cron.New(cron.WithLocation(time.UTC))
	c.Schedule(s.sched, cron.FuncJob(func() {
		select {
		case tick <- struct{}{}:
		default:
		}
	}))
	c.Start()
	defer c.Stop()
	var prompt <-chan time.Time
	s.runLogged(ctx)
	for {
		select {
		case <-ctx.Done():
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
		s.runLogged(ctx)
	}
}

// runLogged runs once and logs the summary: also of a run the stop cut
// short, when it did something.
func (s *Syncer) runLogged(ctx context.Context) {
	start := time.Now()
	sum, err := s.RunOnce(ctx)
	if err != nil && ctx.Err() == nil {
		s.log.Error().Err(err).Msg("sync run")
		return
	}
	if ctx.Err() != nil && sum.Claimed == 0 {
		return
	}
	ev := s.log.Debug()
	if sum.Claimed > 0 || !sum.PausedUntil.IsZero() {
		ev = s.log.Info()
	}
	if !sum.PausedUntil.IsZero() { // a zero time would read as a pause until the year 1
		ev = ev.Time("paused_until", sum.PausedUntil)
	}
	ev.Int("calls", sum.Calls).Int("claimed", sum.Claimed).Int("done", sum.Done).Int("retried", sum.Retried).
		Int("dead", sum.Dead).Int("released", sum.Released).Dur("took_ms", time.Since(start)).Msg("sync run")
}
