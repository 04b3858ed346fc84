package mapping_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/dbdown"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// toldStore fails as downStore does, its errors marked told by a
// database outage's log, as the daemon's store on PostgreSQL marks them.
type toldStore struct{ *downStore }

func (s toldStore) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	evs, err := s.downStore.PendingEvents(ctx, afterID, limit)
	return evs, dbdown.Told(err)
}

// TestWorkerLeavesAnOutageToItsLog: on PostgreSQL the database's outage
// has a log of its own (one line when it goes, a reminder every 5
// minutes, one when it is back), and the worker still logged its failed
// passes beside it, an error line a minute, the stuck line and the line
// saying it works again. A failure that log told is now counted and left
// to it: no line, though OnStuck (the metric, the status line) is still
// called, and with the zero time once a pass works.
func TestWorkerLeavesAnOutageToItsLog(t *testing.T) {
	db, _ := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	store := toldStore{&downStore{DB: db}}
	store.down.Store(true)
	var logs logtest.Buffer
	var mu sync.Mutex
	var told []time.Time
	w := mapping.NewWorker(mapping.WorkerOptions{Store: store, Rules: rules, Log: zerolog.New(&logs),
		Interval: 5 * time.Millisecond, StuckAfter: 50 * time.Millisecond,
		OnStuck: func(since time.Time) { mu.Lock(); told = append(told, since); mu.Unlock() }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	calls := func() []time.Time { mu.Lock(); defer mu.Unlock(); return append([]time.Time(nil), told...) }
	waitFor(t, func() bool { return len(calls()) == 1 })
	store.down.Store(false)
	waitFor(t, func() bool { return len(calls()) == 2 })
	cancel()
	<-done
	if c := calls(); c[0].IsZero() || !c[1].IsZero() {
		t.Errorf("OnStuck calls: %v, want since when, then the zero time", c)
	}
	if s := logs.String(); s != "" {
		t.Errorf("the worker logged an outage its log told:\n%s", s)
	}
}
