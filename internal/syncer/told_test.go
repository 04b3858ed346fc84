package syncer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// claimFails is an outbox whose claims fail, as a claim does when the
// database server's stop ends its session.
type claimFails struct{ syncer.Store }

func (claimFails) FinishAndClaimOps(context.Context, []syncd.Op, string, syncd.RecordKind, int, time.Duration) ([]syncd.Op, error) {
	return nil, errors.New("claim ops: FATAL: terminating connection due to administrator command (SQLSTATE 57P01)")
}

// TestRunLeavesAToldFailureToItsTeller: a run that failed on the store is
// offered to Told, and logged by the syncer only when Told did not take
// it. Before, the syncer logged every failed run, so the daemon's log of a
// PostgreSQL server's stop had a "sync run" error line beside the outage's
// own lines whenever a claim met the stop (.ci/run failed on it in
// TestADatabaseOutageIsToldOnceWithAReminderAndItsEnd).
func TestRunLeavesAToldFailureToItsTeller(t *testing.T) {
	t.Parallel()
	for _, told := range []bool{true, false} {
		db := openDB(t, nil)
		enqueueLeads(t, db, "mem", 0, 1)
		var asked atomic.Int32
		var log bytes.Buffer // read once Run has returned
		s := newSyncer(t, db, newMemCRM(), nil, func(o *syncer.Options) {
			o.Store = claimFails{db}
			o.Schedule, o.NudgeDelay = "@every 1h", time.Millisecond
			o.Log = zerolog.New(zerolog.SyncWriter(&log))
			o.Told = func(err error, say func(error)) bool { asked.Add(1); return told }
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		for deadline := time.Now().Add(10 * time.Second); asked.Load() < 2; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("told %v: Told asked %d times, want each failed run offered", told, asked.Load())
			}
			s.Nudge()
		}
		cancel()
		<-done
		logged := strings.Contains(log.String(), `"level":"error"`) && strings.Contains(log.String(), `"message":"sync run"`)
		if logged == told {
			t.Errorf("Told says %v, and the failed runs logged: %v\n%s", told, logged, log.String())
		}
	}
}
