package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// startIntake runs an Intake on db until the test ends.
func startIntake(t *testing.T, db *sqlite.DB, opts sqlite.IntakeOptions) (*sqlite.Intake, context.CancelFunc) {
	t.Helper()
	in := db.NewIntake(opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return in, stop
}

func incoming(key string) syncd.Incoming {
	return syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
		Key: key, Body: []byte(`{"event_type":"enquiry_created","n":"` + key + `"}`), Parse: syncd.ParseStrict,
		RemoteAddr: "127.0.0.1"}
}

func TestIntakeConcurrentDeliveriesAllStoredOnce(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	const clients, each = 50, 20
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				// Every delivery is sent twice: the second must be a duplicate of the first.
				key := fmt.Sprintf("sha256:%d-%d", c, i)
				r1, err := in.Store(ctx, incoming(key))
				if err != nil {
					errs <- err
					return
				}
				r2, err := in.Store(ctx, incoming(key))
				if err != nil {
					errs <- err
					return
				}
				if r1.Outcome != syncd.Accepted || r2.Outcome != syncd.Duplicate || r2.ID != r1.ID {
					errs <- fmt.Errorf("%s: got %+v then %+v", key, r1, r2)
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	evs, err := db.Events(ctx, sqlite.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != clients*each {
		t.Fatalf("stored %d events, want %d", len(evs), clients*each)
	}
	for _, ev := range evs {
		if ev.Deliveries != 2 {
			t.Fatalf("event %d has %d deliveries, want 2", ev.ID, ev.Deliveries)
		}
	}
}

func TestIntakeDuplicateInsideOneBatch(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in := db.NewIntake(sqlite.IntakeOptions{})
	// Queue both before the writer runs, so they land in one transaction.
	res := make(chan syncd.Receipt, 2)
	for i := 0; i < 2; i++ {
		go func() {
			r, err := in.Store(ctx, incoming("sha256:same"))
			if err != nil {
				t.Error(err)
			}
			res <- r
		}()
	}
	time.Sleep(50 * time.Millisecond)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go in.Run(runCtx)
	a, b := <-res, <-res
	if a.ID != b.ID || a.Outcome == b.Outcome {
		t.Fatalf("receipts %+v and %+v: want one accepted and one duplicate of it", a, b)
	}
}

func TestIntakeWindow(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	in, _ := startIntake(t, db, sqlite.IntakeOptions{Window: 14 * 24 * time.Hour})
	for _, inc := range []syncd.Incoming{incoming("sha256:w"), {Source: "eaf", Kind: syncd.KindEAF, Key: "eaf:1", Body: []byte(`{}`)}} {
		first, _ := in.Store(ctx, inc)
		now = now.Add(13 * 24 * time.Hour)
		again, _ := in.Store(ctx, inc)
		if again.Outcome != syncd.Duplicate || again.ID != first.ID {
			t.Fatalf("%s inside the window: %+v, want duplicate of %d", inc.Key, again, first.ID)
		}
		now = now.Add(2 * 24 * time.Hour)
		later, _ := in.Store(ctx, inc)
		if later.Outcome != syncd.Accepted || later.ID == first.ID {
			t.Fatalf("%s past the window: %+v, want a new event", inc.Key, later)
		}
	}
	// The same key from another source is another event.
	other := incoming("sha256:w")
	other.Source = "lb2"
	if r, _ := in.Store(ctx, other); r.Outcome != syncd.Accepted {
		t.Fatalf("same key, other source: %+v", r)
	}
}

// TestIntakeRemembersKeysAcrossRestart: a new writer on the same database
// loads the keys received within the window.
func TestIntakeRemembersKeysAcrossRestart(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, stop := startIntake(t, db, sqlite.IntakeOptions{})
	first, _ := in.Store(ctx, incoming("sha256:r"))
	stop()
	in2, _ := startIntake(t, db, sqlite.IntakeOptions{})
	again, err := in2.Store(ctx, incoming("sha256:r"))
	if err != nil || again.Outcome != syncd.Duplicate || again.ID != first.ID {
		t.Fatalf("after restart: %+v %v, want duplicate of %d", again, err, first.ID)
	}
}

// TestIntakeFailedCommitLeavesNoKey: a delivery whose transaction did not
// commit must not make its retry look like a duplicate.
func TestIntakeFailedCommitLeavesNoKey(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	in.Store(ctx, incoming("sha256:warm")) // writer ready, keys loaded
	// Make every commit fail: a trigger aborts inserts of this body.
	if _, err := sqlite.RawWriter(db).Exec(`CREATE TRIGGER fail BEFORE INSERT ON events WHEN NEW.idem_key = 'sha256:x'
		BEGIN SELECT RAISE(ABORT, 'injected'); END`); err != nil {
		t.Fatal(err)
	}
	if r, err := in.Store(ctx, incoming("sha256:x")); err == nil {
		t.Fatalf("insert through the trigger succeeded: %+v", r)
	}
	sqlite.RawWriter(db).Exec(`DROP TRIGGER fail`)
	r, err := in.Store(ctx, incoming("sha256:x"))
	if err != nil || r.Outcome != syncd.Accepted {
		t.Fatalf("retry after a failed insert: %+v %v, want accepted", r, err)
	}
}

func TestIntakeQuarantineAndLenientPayload(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{})
	bad := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "sha256:bad",
		Body: []byte("{nope"), Quarantine: true, Reason: "invalid JSON"}
	q1, err := in.Store(ctx, bad)
	if err != nil || q1.Outcome != syncd.Quarantined {
		t.Fatalf("%+v, %v", q1, err)
	}
	q2, _ := in.Store(ctx, bad)
	if q2.ID != q1.ID {
		t.Fatalf("same bad body quarantined twice: %d and %d", q1.ID, q2.ID)
	}
	qs, err := db.Quarantined(ctx, syncd.EventFilter{})
	if err != nil || len(qs) != 1 || string(qs[0].Body) != "{nope" || qs[0].Deliveries != 2 {
		t.Fatalf("quarantine = %+v, %v", qs, err)
	}
	lenient := incoming("sha256:lenient")
	lenient.Body, lenient.Payload, lenient.Parse = []byte(`{"a":1,}`), []byte(`{"a":1 }`), syncd.ParseLenient
	r, _ := in.Store(ctx, lenient)
	ev, err := db.Event(ctx, r.ID)
	if err != nil || string(ev.Body) != `{"a":1,}` || string(ev.Payload) != `{"a":1 }` || ev.Parse != syncd.ParseLenient {
		t.Fatalf("event = %+v, %v", ev, err)
	}
	if evs, _ := db.Events(ctx, sqlite.EventFilter{}); len(evs) != 1 {
		t.Fatalf("quarantined body became an event: %d events", len(evs))
	}
}

func TestIntakeShutdownCommitsQueuedThenRefuses(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in := db.NewIntake(sqlite.IntakeOptions{})
	res := make(chan error, 10)
	for i := 0; i < 10; i++ {
		go func(i int) {
			_, err := in.Store(ctx, incoming(fmt.Sprint("sha256:", i)))
			res <- err
		}(i)
	}
	time.Sleep(50 * time.Millisecond) // all ten queued
	runCtx, cancel := context.WithCancel(ctx)
	cancel() // the writer starts already told to stop
	in.Run(runCtx)
	for i := 0; i < 10; i++ {
		if err := <-res; err != nil {
			t.Fatalf("queued delivery lost on shutdown: %v", err)
		}
	}
	if _, err := in.Store(ctx, incoming("sha256:late")); syncd.ErrorCode(err) != syncd.EUnavailable {
		t.Fatalf("store after stop: %v, want unavailable", err)
	}
	if evs, _ := db.Events(ctx, sqlite.EventFilter{}); len(evs) != 10 {
		t.Fatalf("%d events stored, want 10", len(evs))
	}
}

func TestEventsFilter(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{MaxBatch: 1})
	for i := 0; i < 5; i++ {
		inc := incoming(fmt.Sprint("sha256:f", i))
		if i%2 == 1 {
			inc.Source = "other"
		}
		in.Store(ctx, inc)
	}
	evs, err := db.Events(ctx, sqlite.EventFilter{Source: "lb", AfterID: 1, Limit: 5})
	if err != nil || len(evs) != 2 || evs[0].ID != 3 || evs[1].ID != 5 {
		t.Fatalf("events = %v, %v", evs, err)
	}
	if _, err := db.Event(ctx, 99); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("missing event: %v", err)
	}
}

// BenchmarkIntakeStore measures the writer alone: 64 goroutines store
// unique ~700-byte events directly, no HTTP. Compare with the receiver's
// BenchmarkIntake to see what the HTTP path costs.
//
//	go test ./internal/sqlite -run '^$' -bench IntakeStore
func BenchmarkIntakeStore(b *testing.B) {
	for _, batch := range []int{0, 1} {
		name := "group-commit"
		if batch == 1 {
			name = "commit-per-event"
		}
		b.Run(name, func(b *testing.B) {
			db := openTest(b)
			in := db.NewIntake(sqlite.IntakeOptions{MaxBatch: batch})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() { in.Run(ctx); close(done) }()
			defer func() { cancel(); <-done }()
			body := []byte(strings.Repeat("x", 700))
			var seq atomic.Int64
			b.SetParallelism(32) // 64 goroutines on 2 cores
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					inc := syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "enquiry_created",
						Key: fmt.Sprintf("sha256:%064d", seq.Add(1)), Body: body, Parse: syncd.ParseStrict}
					if _, err := in.Store(ctx, inc); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
