package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestMappingsPutATransactionsDealsAfterItsContacts: the mapper's write
// inserts the contacts of a transaction's mappings first and their deals
// after them, each kind in the order of its events, so that the syncer's
// batches of contacts and of deals rewrite pages of their own. Two events
// of one person keep their contacts' order (the later properties are the
// newer), and the deals still wait for their contacts.
func TestMappingsPutATransactionsDealsAfterItsContacts(t *testing.T) {
	ctx := context.Background()
	db := mapOpenDB(t)
	t0 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	var ms []syncd.Mapping
	for i, company := range []string{"A", "B", "C"} {
		id := mapInsertEvent(t, db, "eaf", t0.Add(time.Duration(i)*time.Second))
		ops := mapOps(id, company)
		if i == 1 { // another person
			ops[0].Key, ops[1].ContactKey = "b@example.com", "b@example.com"
		}
		ops[1].Key = fmt.Sprintf("eaf:eaf:%d", id)
		ms = append(ms, syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: ops})
	}
	if n, err := db.RecordMappings(ctx, ms); err != nil || n != 6 {
		t.Fatalf("RecordMappings = %d, %v; want 6 new ops", n, err)
	}
	ops, err := db.ListOps(ctx, OpFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, op := range ops {
		got = append(got, fmt.Sprintf("%s of event %d (%s)", op.Kind, op.EventID, op.Properties["company"]))
	}
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		for _, m := range ms {
			company := m.Ops[0].Properties["company"]
			if kind == syncd.RecordDeal {
				company = ""
			}
			want = append(want, fmt.Sprintf("%s of event %d (%s)", kind, m.EventID, company))
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("operations in id order:\n%q\nwant\n%q", got, want)
	}
	// The deals, enqueued after their contacts, wait for them all the same.
	if claimed, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute); err != nil || len(claimed) != 0 {
		t.Fatalf("deals claimed while their contacts are pending = %d, %v; want none", len(claimed), err)
	}
	claimed, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(claimed) != 3 {
		t.Fatalf("contacts claimed = %d, %v; want 3", len(claimed), err)
	}
	for i := range claimed {
		claimed[i].State, claimed[i].CRMID = syncd.OpDone, "1"
	}
	if claimed, err := db.FinishAndClaimOps(ctx, claimed, "hubspot", syncd.RecordDeal, 10, time.Minute); err != nil || len(claimed) != 3 {
		t.Fatalf("deals claimed once their contacts are done = %d, %v; want 3", len(claimed), err)
	}
}

// TestMappingsCutShortForIntakeKeepEachLeadsDeal: a mapping batch that
// commits early for a waiting intake transaction commits the deals of the
// mappings it holds with them (a mapping and its operations are one
// transaction, DURABILITY.md), not in the transaction after. A trigger
// counts, when the intake's event goes in, the events mapped whose deal
// is not in the outbox.
func TestMappingsCutShortForIntakeKeepEachLeadsDeal(t *testing.T) {
	const n = 3000
	ctx := context.Background()
	for try := 1; ; try++ {
		db, in, ids := yieldDB(t, n)
		ms := make([]syncd.Mapping, n)
		for i, id := range ids {
			email := fmt.Sprintf("c%d@example.com", i)
			ms[i] = syncd.Mapping{EventID: id, State: syncd.MapMapped, Ops: []syncd.Op{
				{Target: "hubspot", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail,
					Properties: map[string]string{"email": email}},
				{Target: "hubspot", Kind: syncd.RecordDeal, Key: fmt.Sprintf("lb:%d", i), ContactKey: email,
					Properties: map[string]string{"dealname": "x"}}}}
		}
		if _, err := db.w.ExecContext(ctx, `CREATE TRIGGER probe_dealless AFTER INSERT ON events
			WHEN NEW.idem_key = 'sha256:probe-mapped'
			BEGIN INSERT INTO state (name, value, updated_at) VALUES ('probe-dealless', (
				SELECT count(*) FROM events e WHERE e.map_state = 'mapped'
				AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.event_id = e.id AND o.kind = 'deal')), ''); END`); err != nil {
			t.Fatal(err)
		}
		seen, waited := probeDuring(t, db, in, "mapped", `SELECT count(*) FROM events WHERE map_state = 'mapped'`, func() error {
			_, err := db.RecordMappings(ctx, ms)
			return err
		})
		if got := count(t, db, `SELECT count(*) FROM outbox`); got != 2*n {
			t.Fatalf("%d operations, want %d", got, 2*n)
		}
		if waited && seen > 0 && seen < n {
			if got := count(t, db, `SELECT CAST(value AS INTEGER) FROM state WHERE name = 'probe-dealless'`); got != 0 {
				t.Fatalf("when the intake went in, %d of the %d events mapped had no deal in the outbox", got, seen)
			}
			return
		}
		if try == 5 {
			t.Fatalf("in %d tries the intake never went in while the batch was under way", try)
		}
		t.Logf("try %d: the intake went in before or after the batch (%d of %d mapped): trying again", try, seen, n)
	}
}
