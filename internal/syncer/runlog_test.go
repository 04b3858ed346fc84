package syncer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestRunsAreSummedInOneInfoLine: under steady traffic the syncer runs
// every prompt delay; its runs are summed in one info line per
// SummaryEvery (and at stop), each run at debug. Before, every run with
// work logged its own info line: 10 a minute at a lead every 2 s.
func TestRunsAreSummedInOneInfoLine(t *testing.T) {
	t.Parallel()
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
	// Whole milliseconds, as every other line's durations ("took_ms":14.490509 before).
	if took, _ := runs[0]["took_ms"].(float64); took != float64(int64(took)) {
		t.Errorf(`"took_ms" = %v, want whole milliseconds`, runs[0]["took_ms"])
	}
}

// resumedAtStop is a store on which another process lifts the adapter's
// pause just before the syncer's second pause check, and the daemon is
// told to stop just after it, before the run claims anything.
type resumedAtStop struct {
	*sqlite.DB
	checks int
	stop   context.CancelFunc
}

func (r *resumedAtStop) AdapterPause(ctx context.Context, target string) (syncd.Pause, error) {
	r.checks++
	if r.checks == 2 {
		if err := r.DB.SetAdapterPause(ctx, target, syncd.Pause{}); err != nil { // syncd sync -resume
			return syncd.Pause{}, err
		}
		defer r.stop() // SIGTERM
	}
	return r.DB.AdapterPause(ctx, target)
}

// TestStopJustAfterAResumeLeavesNoPauseInTheLine: a run whose pause check
// found the pause lifted by another process, stopped before it claimed
// anything, still ends the pause in the summed line written at stop.
// Before, the cancelled run was left out of the sum whole, and the line
// at stop gave the lifted pause's paused_until (the end-to-end test of a
// resume failed so when its SIGTERM came that soon).
func TestStopJustAfterAResumeLeavesNoPauseInTheLine(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	if err := db.SetAdapterPause(context.Background(), "mem", syncd.Pause{Until: time.Now().Add(time.Hour), Kind: syncd.PauseToken, Reason: "token rejected"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	st := &resumedAtStop{DB: db, stop: cancel}
	var logs bytes.Buffer // read once Run has returned
	s := newSyncer(t, db, newMemCRM(), nil, func(o *syncer.Options) {
		o.Store = st
		o.Schedule, o.NudgeDelay, o.SummaryEvery = "@every 1h", time.Millisecond, time.Hour
		o.Log = zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.InfoLevel)
	})
	enqueueLeads(t, db, "mem", 0, 1)
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	for ctx.Err() == nil { // until the second check stops it
		s.Nudge()
		time.Sleep(5 * time.Millisecond)
	}
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	var lifted bool
	var last map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch m["message"] {
		case "adapter pause lifted by another process (syncd sync -resume): resuming":
			lifted = true
		case "sync run":
			last = m
		}
	}
	if !lifted || last == nil {
		t.Fatalf("want the lifted pause and a sync run line in the log:\n%s", logs.String())
	}
	if _, ok := last["paused_until"]; ok {
		t.Fatalf("the line at stop still gives the lifted pause:\n%s", logs.String())
	}
}

// TestALongRunSaysHowItGoes: a drain of hours after an outage is one run,
// whose "sync run" line comes at its end: the journal said nothing of it
// for hours. A run says what it has done so far at info once per
// SummaryEvery.
func TestALongRunSaysHowItGoes(t *testing.T) {
	t.Parallel()
	db := openDB(t, nil)
	crm := newMemCRM()
	crm.fail = func(syncd.RecordKind, string) error { time.Sleep(2 * time.Millisecond); return nil } // a slow CRM
	enqueueLeads(t, db, "mem", 0, 40)
	var logs bytes.Buffer
	s := newSyncer(t, db, crm, nil, func(o *syncer.Options) {
		o.BatchSize, o.SummaryEvery = 10, 15*time.Millisecond
		o.Log = zerolog.New(zerolog.SyncWriter(&logs)).Level(zerolog.InfoLevel)
	})
	sum, err := s.RunOnce(context.Background())
	if err != nil || sum.Done != 80 {
		t.Fatalf("run: %+v, %v", sum, err)
	}
	var under []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(logs.Bytes()), []byte("\n")) {
		var m map[string]any
		if err := json.Unmarshal(line, &m); err == nil && m["message"] == "sync run under way" {
			under = append(under, m)
		}
	}
	if len(under) == 0 {
		t.Fatalf("no line while the run went on:\n%s", logs.String())
	}
	if done, _ := under[0]["done"].(float64); done < 10 || done >= 80 || under[0]["running_ms"] == nil {
		t.Errorf("the first line says %v, want what was done so far, and for how long", under[0])
	}
}
