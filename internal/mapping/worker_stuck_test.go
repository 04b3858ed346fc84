package mapping_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/mapping"
)

// TestWorkerTellsOnceThatItIsStuck: a worker whose every pass failed (the
// same batch refused for ever, or the database down) logged one error a
// minute and told nothing else, while leads waited unmapped. Once every
// pass has failed for StuckAfter it logs so once (not per retry) and calls
// OnStuck with since when (the daemon's metric and status line), and with
// the zero time once a pass works.
func TestWorkerTellsOnceThatItIsStuck(t *testing.T) {
	db, _ := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	store := &downStore{DB: db}
	store.down.Store(true)
	var logs logtest.Buffer
	var mu sync.Mutex
	var told []time.Time
	begun := time.Now()
	w := mapping.NewWorker(mapping.WorkerOptions{Store: store, Rules: rules, Log: zerolog.New(&logs),
		Interval: 5 * time.Millisecond, StuckAfter: 100 * time.Millisecond,
		OnStuck: func(since time.Time) { mu.Lock(); told = append(told, since); mu.Unlock() }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	calls := func() []time.Time { mu.Lock(); defer mu.Unlock(); return append([]time.Time(nil), told...) }
	waitFor(t, func() bool { return len(calls()) == 1 })
	// Many more failing passes: still one line, one call.
	waitFor(t, func() bool {
		return strings.Count(logs.String(), `"message":"map events"`) >= 1 && time.Since(begun) > 300*time.Millisecond
	})
	if c := calls(); len(c) != 1 || c[0].Before(begun) || time.Since(c[0]) < 100*time.Millisecond {
		t.Errorf("OnStuck calls while stuck: %v (began %v)", c, begun)
	}
	store.down.Store(false)
	waitFor(t, func() bool { return len(calls()) == 2 })
	cancel()
	<-done
	if c := calls(); !c[1].IsZero() {
		t.Errorf("OnStuck once a pass works: %v, want the zero time", c[1])
	}
	if n := strings.Count(logs.String(), `"message":"map events: stuck, every pass failing"`); n != 1 {
		t.Errorf("%d stuck lines, want 1:\n%s", n, logs.String())
	}
}
