package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestTransactionsCountWhatEachWriterBatches: the counts the pipeline
// benchmark prints are the writers' own transactions and what they held.
func TestTransactionsCountWhatEachWriterBatches(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/syncd.db", sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var ms []syncd.Mapping
	for i := range 3 {
		ev := opTestEvent(t, db)
		ms = append(ms, syncd.Mapping{EventID: ev, State: syncd.MapMapped, Ops: opTestLead(ev, "hubspot", i)})
	}
	if got := db.Transactions(); got.Deliveries != 3 || got.Intake < 1 || got.Intake > 3 {
		t.Errorf("after three deliveries: %+v", got)
	}
	if _, err := db.RecordMappings(ctx, ms); err != nil {
		t.Fatal(err)
	}
	contacts, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(contacts) != 3 {
		t.Fatalf("contacts %d, %v", len(contacts), err)
	}
	for i := range contacts {
		contacts[i].State, contacts[i].CRMID = syncd.OpDone, "c"
	}
	deals, err := db.FinishAndClaimOps(ctx, contacts, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(deals) != 3 {
		t.Fatalf("deals %d, %v", len(deals), err)
	}
	for i := range deals {
		deals[i].State, deals[i].CRMID = syncd.OpDone, "d"
	}
	if err := db.FinishOps(ctx, deals); err != nil {
		t.Fatal(err)
	}
	got := db.Transactions()
	if got.Mapping != 1 || got.Mapped != 3 || got.Sync != 3 || got.SyncOps != 3+6+3 {
		t.Errorf("after mapping, claiming and finishing three leads: %+v", got)
	}
}
