package mapping_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/mapping"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// downStore is a real store behind a database that can be made
// unreachable, as PostgreSQL is while it restarts.
type downStore struct {
	*sqlite.DB
	down atomic.Bool
	up   func() // called when the database has answered, if set
}

func (s *downStore) PendingEvents(ctx context.Context, afterID int64, limit int) ([]syncd.Event, error) {
	if s.down.Load() {
		return nil, errors.New("list events: dial tcp 127.0.0.1:5432: connect: connection refused")
	}
	evs, err := s.DB.PendingEvents(ctx, afterID, limit)
	if s.up != nil {
		s.up()
	}
	return evs, err
}

// TestWorkerLogsADatabaseOutageOnce: with the database down, the worker's
// pass fails every interval (2 s); each failure was an error line, 1,800 an
// hour on every instance of a fleet for one outage. It logs the first,
// then at most one a minute with the count, and one line when a pass works
// again.
func TestWorkerLogsADatabaseOutageOnce(t *testing.T) {
	db, in := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	store := &downStore{DB: db}
	store.down.Store(true)
	var logs logtest.Buffer
	w := mapping.NewWorker(mapping.WorkerOptions{Store: store, Rules: rules, Log: zerolog.New(&logs),
		Interval: 5 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	time.Sleep(300 * time.Millisecond) // some 60 failing passes
	store.down.Store(false)
	id := storeFixture(t, in, syncd.KindEAF, "eaf", fixtures+"/eaf/email_lead.json", nil)
	waitFor(t, func() bool {
		evs, _ := db.PendingEvents(context.Background(), id-1, 1)
		return len(evs) == 0
	})
	cancel()
	<-done
	out := logs.String()
	if n := strings.Count(out, `"message":"map events"`); n != 1 {
		t.Errorf("%d error lines for one outage, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, `"message":"map events: working again"`) {
		t.Errorf("no line says the mapping works again:\n%s", out)
	}
}

// TestAnOutageEndingAsTheDaemonStopsIsSaidToEnd: the first pass the
// database answered was cut short by the daemon's stop; the worker took
// it for a pass that failed and, at the stop, logged the failures held
// back ("repeated") as its last word on an outage that was over, with no
// "working again" line.
func TestAnOutageEndingAsTheDaemonStopsIsSaidToEnd(t *testing.T) {
	db, _ := openStore(t)
	rules, err := mapping.Load("../../mappings/hubspot", "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	store := &downStore{DB: db, up: cancel} // the daemon stops as the database comes back
	store.down.Store(true)
	var logs logtest.Buffer
	w := mapping.NewWorker(mapping.WorkerOptions{Store: store, Rules: rules, Log: zerolog.New(&logs),
		Interval: 5 * time.Millisecond})
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	time.Sleep(100 * time.Millisecond) // some 20 failing passes
	store.down.Store(false)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if n := strings.Count(out, `"message":"map events"`); n != 1 || strings.Contains(out, `"repeated"`) {
		t.Errorf("%d error lines for one outage, want 1 and no count of failures after it ended:\n%s", n, out)
	}
	if !strings.Contains(out, `"message":"map events: working again"`) {
		t.Errorf("no line says the mapping works again:\n%s", out)
	}
}
