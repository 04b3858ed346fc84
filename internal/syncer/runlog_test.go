package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestRunsAreSummedInOneInfoLine: under steady traffic the syncer runs
// every prompt delay; its runs are summed in one info line per
// SummaryEvery (and at stop), each run at debug. Before, every run with
// work logged its own info line: 10 a minute at a lead every 2 s.
func TestRunsAreSummedInOneInfoLine(t *testing.T) {
	db := openDB(t, nil)
	var logs bytes.Buffer // read once Run has returned
	s := newSyncer(t, db, newMemCRM(), nil, func(o *syncer.Options) {
		o.Schedule, o.NudgeDelay, o.SummaryEvery = "@every 1h", 10*time.Millisecond, time.Hour
		o.Log = zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.InfoLevel)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for burst := 0; burst < 3; burst++ { // three prompt runs
		enqueueLeads(t, db, "mem", burst*2, burst*2+2)
		s.Nudge()
		for deadline := time.Now().Add(10 * time.Second); countStates(allOps(t, db))[syncd.OpDone] != 4*(burst+1); time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("burst %d not delivered: %v", burst, countStates(allOps(t, db)))
			}
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	var runs []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["message"] == "sync run" {
			runs = append(runs, m)
		}
	}
	if len(runs) != 1 || runs[0]["claimed"] != 12.0 || runs[0]["done"] != 12.0 || runs[0]["runs"].(float64) < 3 {
		t.Fatalf("want one info line for the runs, with 12 claimed and done in 3 or more runs:\n%s", logs.String())
	}
}
