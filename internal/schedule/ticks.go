package schedule

import (
	"context"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// Ticks bounds: the schedule's next time is read again against the wall
// clock at least every CheckEvery, and a difference of more than
// StepAtLeast between how far the wall clock and the monotonic clock went
// is a step of the wall clock.
const (
	CheckEvery  = time.Minute
	StepAtLeast = 5 * time.Second
)

// Clock is the time Ticks reads. Timers count the monotonic clock, which
// does not move when the wall clock is stepped (NTP correcting a clock
// hours off) nor while a virtual machine is paused; a schedule's times are
// wall-clock times.
type Clock interface {
	// Now returns the wall clock's time.
	Now() time.Time
	// Mono returns the monotonic clock's reading: the time elapsed since a
	// fixed start, which steps of the wall clock do not change.
	Mono() time.Duration
	// After sends once d has passed on the monotonic clock.
	After(d time.Duration) <-chan time.Time
}

// System returns the system's clock.
func System() Clock { return system{start: time.Now()} }

type system struct{ start time.Time }

func (system) Now() time.Time                         { return time.Now() }
func (c system) Mono() time.Duration                  { return time.Since(c.start) } // start carries a monotonic reading
func (system) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Ticks sends on the channel it returns at each of sched's times by the
// wall clock of clock (nil: System), until ctx ends; a tick not yet taken
// when the next comes is merged with it. It does not sleep until the next
// time on one timer, as robfig/cron's runner does: when the wall clock is
// stepped forward past a time, or a paused virtual machine resumes after
// it, the tick comes within CheckEvery, not once the monotonic clock has
// gone the whole wait (a day, for a daily report). A step of more than
// StepAtLeast is logged once, at level. Stepped back, the next tick is
// the earlier of the schedule's next time from the clock's new time and
// the time planned moved back with the clock (for @every, the interval
// the monotonic clock counts), not once the wall clock is back where it
// was: a time passed before the step may then come again, which what
// runs must not mind.
func Ticks(ctx context.Context, sched cron.Schedule, clock Clock, log zerolog.Logger, level zerolog.Level) <-chan struct{} {
	if clock == nil {
		clock = System()
	}
	tick := make(chan struct{}, 1)
	go func() {
		now, mono := clock.Now(), clock.Mono()
		next := sched.Next(now)
		for {
			select {
			case <-ctx.Done():
				return
			case <-clock.After(wait(now, next)):
			}
			was, wasMono := now, mono
			now, mono = clock.Now(), clock.Mono()
			if step := now.Round(0).Sub(was.Round(0)) - (mono - wasMono); step >= StepAtLeast || step <= -StepAtLeast {
				logStep(log.WithLevel(level), step, now)
				if step < 0 && !next.IsZero() {
					next = earliest(sched.Next(now), next.Add(step))
				}
			}
			if next.IsZero() || now.Before(next) {
				continue
			}
			next = sched.Next(now)
			select {
			case tick <- struct{}{}:
			default:
			}
		}
	}()
	return tick
}

// earliest returns the earlier of a and b.
func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// wait is how long to wait from now for next: until it, at most
// CheckEvery.
func wait(now, next time.Time) time.Duration {
	if next.IsZero() { // a spec no date matches: never, but the clock is still watched
		return CheckEvery
	}
	return min(next.Sub(now), CheckEvery)
}

// logStep says once that the wall clock stepped, by how much and which
// way.
func logStep(ev *zerolog.Event, step time.Duration, now time.Time) {
	way := "forward"
	if step < 0 {
		way, step = "back", -step
	}
	ev.Str("way", way).Dur("step_ms", step).Time("clock_now", now).
		Msg("the system clock stepped " + way + " by " + syncd.HowLong(step) +
			" (set by NTP or by hand, or the machine resumed from a pause): scheduled runs follow the new time")
}
