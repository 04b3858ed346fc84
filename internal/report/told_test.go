package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestSchedulerLeavesAToldFailureToItsTeller: a failed run whose error
// Options.Told takes (the database's outage, which the daemon's outage log
// says once) is tried again as any failed run, and logs no line of its
// own; one Told does not take is logged. On PostgreSQL a run that met the
// server's stop was an error line ("reports") beside the outage's own.
func TestSchedulerLeavesAToldFailureToItsTeller(t *testing.T) {
	t.Parallel()
	for _, told := range []bool{true, false} {
		loc := copenhagen(t)
		blocked := filepath.Join(t.TempDir(), "blocked")
		if err := os.WriteFile(blocked, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		var asked atomic.Int32
		log := &logtest.Buffer{}
		now := time.Date(2026, 3, 30, 6, 0, 30, 0, loc)
		s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: openDB(t), Dir: filepath.Join(blocked, "reports"),
			Location: loc, Now: func() time.Time { return now }, RetryAfter: 20 * time.Millisecond,
			Log: zerolog.New(log), Told: func(error) bool { asked.Add(1); return told }})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		for deadline := time.Now().Add(20 * time.Second); asked.Load() < 3; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("told %v: Told asked %d times, want the failed run tried again", told, asked.Load())
			}
		}
		cancel()
		<-done
		if logged := strings.Contains(log.String(), `"message":"reports"`); logged == told {
			t.Errorf("Told says %v, and the failed runs logged: %v\n%s", told, logged, log.String())
		}
	}
}
