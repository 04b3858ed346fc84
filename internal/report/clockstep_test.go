package report_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/schedule"
	"github.com/syncd-dev/syncd/internal/schedule/clocktest"
)

// stepLog is a log the test reads while the scheduler writes it.
type stepLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *stepLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *stepLog) count(s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.buf.String(), s)
}

// countedStore counts the scheduler's runs: each starts by reading the
// first report.
type countedStore struct {
	report.Store
	runs atomic.Int32
}

func (s *countedStore) FirstReport(ctx context.Context) (string, error) {
	s.runs.Add(1)
	return s.Store.FirstReport(ctx)
}

// TestReportFollowsAClockStep: the daemon runs at 20:00 on 10 March with
// its clock 11 hours behind; NTP steps it to 07:00 on the 11th. The 10th's
// report, due at 06:00, is made within a minute, not when the monotonic
// clock has gone the 10 hours robfig/cron's timer was set for; the step
// is logged once. Then the clock is stepped back 2 hours, so 06:00 comes
// again: the report is not made a second time.
func TestReportFollowsAClockStep(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	store := &countedStore{Store: db}
	clk := clocktest.New(time.Date(2026, 3, 10, 20, 0, 0, 0, loc))
	log := &stepLog{}
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: store, Dir: t.TempDir(),
		Location: loc, Clock: clk, Log: zerolog.New(log)})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- s.Run(runCtx) }()
	defer func() { cancel(); <-done }()
	made := func(day string) bool {
		recs, err := db.Reports(ctx, day)
		return err == nil && len(recs) > 0 && recs[len(recs)-1].Day == day
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal(what)
			}
		}
	}
	waitFor("the 9th's report not made at start", func() bool { return made("2026-03-09") })
	minute := func() { // a minute passes, once the scheduler waits on its clock
		waitFor("the scheduler does not wait on its clock", func() bool { return clk.Waiting() > 0 })
		clk.Advance(schedule.CheckEvery)
	}
	minute()
	clk.Step(11 * time.Hour)
	minute()
	waitFor("the 10th's report not made within a minute of the clock stepping past 06:00", func() bool { return made("2026-03-10") })
	clk.Step(-2 * time.Hour) // 05:02
	for range 62 {           // past 06:00 again
		minute()
	}
	waitFor("no run at the second 06:00", func() bool { return store.runs.Load() == 3 })
	clk.Step(24 * time.Hour) // a run after it: that one is over
	minute()
	waitFor("the 11th's report not made", func() bool { return made("2026-03-11") })
	if n := log.count(`"report made"`); n != 3 {
		t.Errorf("%d reports made, want 3 (the 9th, 10th and 11th, once each):\n%s", n, log.buf.String())
	}
	if n := log.count("stepped forward by 11 hours ("); n != 1 {
		t.Errorf("forward step logged %d times, want once", n)
	}
	if n := log.count("stepped back by 2 hours ("); n != 1 {
		t.Errorf("back step logged %d times, want once", n)
	}
}
