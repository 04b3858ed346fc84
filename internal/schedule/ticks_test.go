package schedule_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/schedule"
	"github.com/syncd-dev/syncd/internal/schedule/clocktest"
)

// lines is a log that tests read while it is written.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lines) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

// ticker starts Ticks of spec on clk and returns its channel; it stops
// with the test.
func ticker(t *testing.T, spec string, clk *clocktest.Clock, log *lines) <-chan struct{} {
	t.Helper()
	sched, err := schedule.Parse(spec, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return schedule.Ticks(ctx, sched, clk, zerolog.New(log), zerolog.InfoLevel)
}

// advance moves clk on by d once Ticks waits on it.
func advance(t *testing.T, clk *clocktest.Clock, d time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); clk.Waiting() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Ticks does not wait on its clock")
		}
	}
	clk.Advance(d)
}

// ticked reports whether a tick comes within a few seconds (true) or
// none is there (false, when wait is false: none is expected).
func ticked(tick <-chan struct{}, wait bool) bool {
	var after <-chan time.Time
	if wait {
		after = time.After(5 * time.Second)
	} else {
		after = time.After(50 * time.Millisecond)
	}
	select {
	case <-tick:
		return true
	case <-after:
		return false
	}
}

// TestTicksFollowAForwardStep: a daily 06:00 schedule started at 20:00;
// the wall clock is stepped 11 hours forward (NTP setting right a clock
// that was behind, or a paused VM resumed). The 06:00 tick comes within a
// minute, once, and the step is logged once. On robfig/cron's runner it
// came only when the monotonic clock had gone the 10 hours it planned.
func TestTicksFollowAForwardStep(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC))
	log := &lines{}
	tick := ticker(t, "0 6 * * *", clk, log)
	advance(t, clk, time.Minute)
	if ticked(tick, false) {
		t.Fatal("a tick at 20:01 for a 06:00 schedule")
	}
	clk.Step(11 * time.Hour) // 07:01
	advance(t, clk, schedule.CheckEvery)
	if !ticked(tick, true) {
		t.Fatal("no tick within a minute of the clock stepping past 06:00")
	}
	advance(t, clk, schedule.CheckEvery)
	if ticked(tick, false) {
		t.Fatal("06:00 ticked twice")
	}
	if n := log.count("stepped forward by 11 hours ("); n != 1 {
		t.Errorf("step logged %d times, want once:\n%s", n, log.buf.String())
	}
}

// TestTicksFollowABackStep: an every-minute schedule, the wall clock
// stepped an hour back. The ticks go on each minute and the step is
// logged once; robfig/cron's runner waited for the wall clock to be back
// where it was, an hour with no scheduled sync.
func TestTicksFollowABackStep(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC))
	log := &lines{}
	tick := ticker(t, "@every 1m", clk, log)
	advance(t, clk, time.Minute)
	if !ticked(tick, true) {
		t.Fatal("no tick after a minute")
	}
	clk.Step(-time.Hour)
	for i := range 3 {
		advance(t, clk, time.Minute)
		if !ticked(tick, true) {
			t.Fatalf("no tick %d minutes after the clock stepped back", i+1)
		}
	}
	if n := log.count("stepped back by 1 hour ("); n != 1 {
		t.Errorf("step logged %d times, want once:\n%s", n, log.buf.String())
	}
	if n := log.count("stepped"); n != 1 {
		t.Errorf("steps logged %d times, want once:\n%s", n, log.buf.String())
	}
}
