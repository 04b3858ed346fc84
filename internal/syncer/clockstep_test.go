package syncer_test

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
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// stepLog is a log the test reads while the syncer writes it.
type stepLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *stepLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *stepLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// TestSyncGoesOnAfterABackStep: a syncer on "@every 1m" with prompt runs
// off; the wall clock is stepped an hour back (NTP setting right a clock
// that was ahead). Leads queued then go out at the next minute, and the
// step is logged once at info. On robfig/cron's runner the next scheduled
// run waited for the wall clock to be back where it was: an hour.
func TestSyncGoesOnAfterABackStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := clocktest.New(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC))
	db := openDB(t, nil)
	db.Now = clk.Now
	log := &stepLog{}
	s := newSyncer(t, db, newMemCRM(), nil, func(o *syncer.Options) {
		o.Schedule, o.NudgeDelay, o.Clock, o.Log = "@every 1m", -1, clk, zerolog.New(log).Level(zerolog.InfoLevel)
	})
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	waitFor("no start-up run", func() bool { last, _ := db.LastSync(ctx, "mem"); return !last.IsZero() })
	minute := func() {
		waitFor("the syncer does not wait on its clock", func() bool { return clk.Waiting() > 0 })
		clk.Advance(schedule.CheckEvery)
	}
	minute()
	clk.Step(-time.Hour)
	enqueueLeads(t, db, "mem", 0, 3)
	minute()
	waitFor("leads queued after the clock stepped back not sent within a minute", func() bool {
		return countStates(allOps(t, db))[syncd.OpDone] == 6
	})
	n := 0
	for _, line := range strings.Split(log.String(), "\n") {
		if strings.Contains(line, `"level":"info"`) && strings.Contains(line, "stepped back by 1 hour (") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("back step logged at info %d times, want once:\n%s", n, log.String())
	}
}
