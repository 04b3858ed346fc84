package sqlite_test

import (
	"context"
	"errors"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// goroutinesCreated is the number of goroutines the process has started.
func goroutinesCreated() uint64 {
	s := []metrics.Sample{{Name: "/sched/goroutines-created:goroutines"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// TestBatchesStartNoGoroutinePerRow: the mapper's and the syncer's
// transactions, run under a context that can be cancelled as the daemon's
// are, do not start a goroutine for every statement (go-sqlite3 does so to
// watch a cancellable context: a goroutine and a wake-up per row written),
// and a context cancelled before a batch still stops it.
func TestBatchesStartNoGoroutinePerRow(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/syncd.db", sqlite.Options{DeferSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const leads = 50
	ms := make([]syncd.Mapping, leads)
	for i := range ms {
		ev := opTestEvent(t, db)
		ms[i] = syncd.Mapping{EventID: ev, State: syncd.MapMapped, Ops: opTestLead(ev, "hubspot", i)}
	}

	before := goroutinesCreated()
	if n, err := db.RecordMappings(ctx, ms); err != nil || n != 2*leads {
		t.Fatalf("record mappings: %d ops, %v", n, err)
	}
	var finished []syncd.Op
	claimed := 0
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal, syncd.RecordContact} {
		ops, err := db.FinishAndClaimOps(ctx, finished, "hubspot", kind, 100, time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		claimed += len(ops)
		finished = finished[:0]
		for _, op := range ops {
			op.State, op.CRMID = syncd.OpDone, "crm-1"
			finished = append(finished, op)
		}
	}
	// Some 350 statements ran (50 events marked mapped, 100 operations
	// inserted, claimed and finished, 100 CRM links); a few goroutines of
	// the runtime's may start meanwhile, but not one a row (361 before).
	if n := goroutinesCreated() - before; n > 20 {
		t.Errorf("%d goroutines started while %d events were mapped and %d operations claimed and finished", n, leads, claimed)
	}
	if claimed != 2*leads {
		t.Errorf("claimed %d operations, want %d", claimed, 2*leads)
	}

	cancel()
	ev := opTestEvent(t, db)
	if _, err := db.RecordMappings(ctx, []syncd.Mapping{{EventID: ev, State: syncd.MapMapped, Ops: opTestLead(ev, "hubspot", leads)}}); !errors.Is(err, context.Canceled) {
		t.Errorf("record mappings with a cancelled context: %v", err)
	}
	if _, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 100, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("claim with a cancelled context: %v", err)
	}
	if pending, err := db.CountOps(context.Background(), sqlite.OpFilter{State: syncd.OpPending}); err != nil || pending != 0 {
		t.Errorf("%d operations pending after cancelled batches (%v), want 0", pending, err)
	}
}
