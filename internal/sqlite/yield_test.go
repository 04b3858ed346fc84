package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestLongWritersLetWaitingIntakeIn: a mapping batch, and the finishing of
// a batch of operations, commit what they have done when an intake
// transaction comes to wait for the writer, and go on after it; the
// intake's commit does not wait for the whole batch. A trigger notes how
// far the batch had got when the intake's event was inserted.
func TestLongWritersLetWaitingIntakeIn(t *testing.T) {
	const n = 3000
	ctx := context.Background()
	db, in, ids := yieldDB(t, n)
	ms := make([]syncd.Mapping, n)
	for i, id := range ids {
		ms[i] = syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: []syncd.Op{{Target: "hubspot",
			Kind: syncd.RecordContact, Key: fmt.Sprintf("c%d@example.com", i), KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": fmt.Sprintf("c%d@example.com", i)}}}}
	}
	seen := probeDuring(t, db, in, "mapped", `SELECT count(*) FROM events WHERE map_state = 'mapped'`, func() error {
		_, err := db.RecordMappings(ctx, ms)
		return err
	})
	if seen >= n {
		t.Errorf("the intake's event went in after the whole mapping batch (%d of %d mapped)", seen, n)
	}
	ops, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, n, time.Minute)
	if err != nil || len(ops) != n {
		t.Fatalf("claimed %d, %v", len(ops), err)
	}
	for i := range ops {
		ops[i].State, ops[i].CRMID = syncd.OpDone, fmt.Sprint(i+1)
	}
	seen = probeDuring(t, db, in, "done", `SELECT count(*) FROM outbox WHERE state = 'done'`, func() error {
		_, err := db.FinishAndClaimOps(ctx, ops, "hubspot", syncd.RecordContact, 0, time.Minute)
		return err
	})
	if seen >= n {
		t.Errorf("the intake's event went in after the whole batch was finished (%d of %d done)", seen, n)
	}
	if got := count(t, db, `SELECT count(*) FROM outbox WHERE state = 'done'`); got != n {
		t.Errorf("%d operations done, want %d", got, n)
	}
	if got := count(t, db, `SELECT count(*) FROM crm_links`); got != n {
		t.Errorf("%d CRM links, want %d", got, n)
	}
}

// yieldDB opens a database with its intake running and n events stored.
func yieldDB(t *testing.T, n int) (*DB, *Intake, []int64) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), Options{DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in := db.NewIntake(IntakeOptions{})
	rctx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go in.Run(rctx)
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Go(func() {
			for i := w; i < n; i += 16 {
				r, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
					Key: fmt.Sprintf("sha256:%d", i), Body: []byte(`{}`), Parse: syncd.ParseStrict})
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = r.ID
			}
		})
	}
	wg.Wait()
	return db, in, ids
}

// probeDuring runs long, and once it holds the writer stores an event
// through the intake; a trigger records the result of query when that
// event is inserted, which probeDuring returns after long has finished.
func probeDuring(t *testing.T, db *DB, in *Intake, name, query string, long func() error) int {
	t.Helper()
	ctx := context.Background()
	_, err := db.w.ExecContext(ctx, `CREATE TRIGGER probe_`+name+` AFTER INSERT ON events
		WHEN NEW.idem_key = 'sha256:probe-`+name+`'
		BEGIN INSERT INTO state (name, value, updated_at) VALUES ('probe-`+name+`', (`+query+`), ''); END`)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- long() }()
	waitFor(t, func() bool { db.gate.mu.Lock(); defer db.gate.mu.Unlock(); return db.gate.busy })
	if _, err := in.Store(ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Type: "x",
		Key: "sha256:probe-" + name, Body: []byte(`{}`), Parse: syncd.ParseStrict}); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	return count(t, db, `SELECT CAST(value AS INTEGER) FROM state WHERE name = 'probe-`+name+`'`)
}
