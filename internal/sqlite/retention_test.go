package sqlite_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const day = 24 * time.Hour

func TestPurgeLeavesNoTraceKeepsCountsAndDuplicates(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	in, _ := startIntake(t, db, sqlite.IntakeOptions{Window: 120 * day})
	sent := privStore(t, db, in, privJane)
	ops, _ := db.ListOps(ctx, sqlite.OpFilter{})
	for _, op := range ops { // Jane's lead was delivered
		if err := opTestComplete(ctx, db, op.ID, "crm-"+op.Key); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(80 * day)
	privStore(t, db, in, privBob) // Bob's is recent and still pending
	from, to := clk.Now().Add(-81*day), clk.Now().Add(day)
	leadsBefore := countLeads(t, db, from, to)

	r := syncd.Retention{Events: 90 * day, Quarantine: 90 * day, Outbox: 90 * day}
	if p, err := db.Purge(ctx, r); err != nil || !reflect.DeepEqual(p, syncd.Purge{}) {
		t.Fatalf("purge at 80 days: %+v, %v; want nothing", p, err)
	}
	clk.Advance(11 * day)
	p, err := db.Purge(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if p.Events != 2 || p.Quarantined != 1 || p.Ops != 3 || p.Links != 0 {
		t.Errorf("purged %+v; want 2 events, 1 quarantined, 3 ops", p)
	}
	// The links are kept (no Links retention): they hold the email as the
	// contact's key, and nothing else of Jane's.
	if hits := privHits(t, db, []string{privJane.name, privJane.national, strings.TrimPrefix(privJane.phone, "+45")}); len(hits) > 0 {
		t.Errorf("after the purge: %v", hits)
	}
	if hits := privHits(t, db, privBob.traces()); len(hits) == 0 {
		t.Error("Bob's recent data went too")
	}
	if n := countLeads(t, db, from, to); n != leadsBefore {
		t.Errorf("%d leads counted after the purge, %d before", n, leadsBefore)
	}
	for _, inc := range sent[privJane.email] {
		if inc.Quarantine {
			continue
		}
		if r, err := in.Store(ctx, inc); err != nil || r.Outcome != syncd.Duplicate {
			t.Errorf("a retry of a purged event within the window: %+v, %v; want duplicate", r, err)
		}
	}

	r.Links, r.Intents = 30*day, 30*day
	if p, err := db.Purge(ctx, r); err != nil || p.Links != 3 || p.Intents != 1 {
		t.Fatalf("links purge: %+v, %v; want Jane's 3 links and 1 intent", p, err)
	}
	if hits := privHits(t, db, privJane.traces()); len(hits) > 0 {
		t.Errorf("after purging the links too: %v", hits)
	}
}

func countLeads(t *testing.T, db *sqlite.DB, from, to time.Time) int {
	t.Helper()
	n := 0
	if err := db.EachLead(context.Background(), from, to, "", func(*syncd.LeadRow) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPurgeReachesARepairedOldBody: a quarantined body repaired long after
// it arrived becomes an event received back then, below the purge's mark.
func TestPurgeReachesARepairedOldBody(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	in, stop := startIntake(t, db, sqlite.IntakeOptions{})
	q, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "sha256:q", Quarantine: true,
		Reason: "bad", Body: []byte(`{"eaf_type":"feed_import",,}`)})
	if err != nil {
		t.Fatal(err)
	}
	stop()
	clk.Advance(200 * day)
	r := syncd.Retention{Events: 90 * day} // quarantined bodies kept
	if _, err := db.Purge(ctx, r); err != nil {
		t.Fatal(err)
	}
	rec, err := db.RepairQuarantined(ctx, q.ID, syncd.Incoming{Type: "feed_import", Key: "eaf:9",
		Body: []byte(`{"eaf_type":"feed_import"}`), Parse: syncd.ParseStrict}, 14*day)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.RecordMapping(ctx, rec.ID, syncd.MapIgnored, "", nil); err != nil {
		t.Fatal(err)
	}
	clk.Advance(day)
	if p, err := db.Purge(ctx, r); err != nil || p.Events != 1 {
		t.Fatalf("purge after the repair: %+v, %v; want the repaired event's body", p, err)
	}
}
