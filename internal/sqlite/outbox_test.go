package sqlite_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// opTestEvent inserts a bare event row (outbox rows reference events) and
// returns its id.
func opTestEvent(t testing.TB, db *sqlite.DB) int64 {
	t.Helper()
	res, err := db.W.Exec(`INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at)
		VALUES ('test', 'eaf', 'portal_submission', 'test:' || (SELECT COUNT(*) FROM events), X'7B7D', 'strict',
		        '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`)
	if err != nil {
		t.Fatal(err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// opTestLead returns the contact and deal ops of one lead.
func opTestLead(eventID int64, target string, i int) []syncd.Op {
	email := fmt.Sprintf("lead%d@example.com", i)
	return []syncd.Op{
		{EventID: eventID, Target: target, Kind: syncd.RecordContact, Key: email,
			Properties:  map[string]string{"email": email, "firstname": fmt.Sprint("Lead ", i)},
			MappingFile: "eaf.yaml", MappingHash: "h1"},
		{EventID: eventID, Target: target, Kind: syncd.RecordDeal, Key: fmt.Sprintf("lead-%d", i), ContactKey: email,
			Properties:  map[string]string{"dealname": fmt.Sprint("Deal ", i), "syncd_lead_id": fmt.Sprintf("lead-%d", i)},
			MappingFile: "eaf.yaml", MappingHash: "h1"},
	}
}

func TestEnqueueOpsOnceAndOpsForEvent(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	ev := opTestEvent(t, db)
	ops := opTestLead(ev, "hubspot", 1)
	n, err := db.EnqueueOps(ctx, ops)
	if err != nil || n != 2 {
		t.Fatalf("EnqueueOps = %d, %v; want 2", n, err)
	}
	// The same records again are skipped; changed properties are a new op.
	n, err = db.EnqueueOps(ctx, ops)
	if err != nil || n != 0 {
		t.Fatalf("EnqueueOps again = %d, %v; want 0", n, err)
	}
	changed := opTestLead(ev, "hubspot", 1)[:1]
	changed[0].Properties["firstname"] = "Renamed"
	if n, err = db.EnqueueOps(ctx, changed); err != nil || n != 1 {
		t.Fatalf("EnqueueOps changed = %d, %v; want 1", n, err)
	}
	got, err := db.OpsForEvent(ctx, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("OpsForEvent: %d ops, want 3", len(got))
	}
	d := got[1]
	if d.Kind != syncd.RecordDeal || d.Key != "lead-1" || d.ContactKey != "lead1@example.com" ||
		d.State != syncd.OpPending || d.Properties["syncd_lead_id"] != "lead-1" || d.NextAttemptAt.IsZero() ||
		d.MappingFile != "eaf.yaml" || d.Target != "hubspot" || d.EventID != ev {
		t.Fatalf("deal op = %+v", d)
	}
	if got[2].Properties["firstname"] != "Renamed" {
		t.Fatalf("changed op = %+v", got[2])
	}
	if other, err := db.OpsForEvent(ctx, ev+1000); err != nil || len(other) != 0 {
		t.Fatalf("OpsForEvent(unknown) = %v, %v", other, err)
	}
}
