package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// waitsEvents are six mapped events for the tests of the waiting mark.
const waitsEvents = `INSERT INTO events (source, kind, type, idem_key, body, parse, received_at, last_delivery_at, map_state)
	SELECT 'eaf', 'eaf', 'email_lead', 'k' || g, '{}', 'strict', now(), now(), 'pending' FROM generate_series(1, 6) g`

// leadOps are a lead's contact (of email, with company as its only other
// property) and deal operations, mapped from event id.
func leadOps(id int64, email, company string) []syncd.Op {
	return []syncd.Op{
		{Target: "hubspot", Kind: syncd.RecordContact, Key: email, KeyKind: syncd.KeyEmail, MappingFile: "eaf.yaml",
			MappingHash: "h", Properties: map[string]string{"email": email, "company": company}},
		{Target: "hubspot", Kind: syncd.RecordDeal, Key: fmt.Sprintf("eaf:%d", id), ContactKey: email,
			MappingFile: "eaf.yaml", MappingHash: "h", Properties: map[string]string{"dealname": fmt.Sprint(id)}},
	}
}

// claimKeys claims up to 10 due operations of kind through db, finishing
// finished first, and returns their keys in id order and the ops.
func claimKeys(t *testing.T, db *DB, finished []syncd.Op, kind syncd.RecordKind, lease time.Duration) ([]string, []syncd.Op) {
	t.Helper()
	ops, err := db.FinishAndClaimOps(context.Background(), finished, "hubspot", kind, 10, lease)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, op := range ops {
		keys = append(keys, op.Key)
	}
	return keys, ops
}

// done is ops finished as done, each with a CRM id, or dead if dead.
func done(ops []syncd.Op, dead bool) []syncd.Op {
	out := slices.Clone(ops)
	for i := range out {
		out[i].State, out[i].CRMID = syncd.OpDone, fmt.Sprint(out[i].ID)
		if dead {
			out[i].State, out[i].CRMID, out[i].LastError = syncd.OpDead, "", "refused"
		}
	}
	return out
}

// TestADealWaitsForItsContactWhateverTheInterleaving: a deal enqueued
// with an operation of its contact is marked as waiting (migration 0019),
// and the claim of deals, which reads only unmarked ones, still never
// takes a deal before its contact and never leaves one behind: with two
// instances, a contact's operation finished by one while the other maps a
// second lead of the person (an update of the contact with it, and one
// whose contact was enqueued already, skipped), its mark taken off at the
// finish; a contact that dead-letters; a contact whose lease ran out,
// claimed and finished by the other instance, the first's late finish
// changing nothing. A mark set on a deal whose contact's operation
// another transaction enqueued would be left on by a finish that ran
// beside its mapping, and the deal would never be claimed.
func TestADealWaitsForItsContactWhateverTheInterleaving(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, conn := seededConn(t, waitsEvents,
		// The mapping of a deal whose key is held waits, in its transaction,
		// for the test's advisory lock 4242, after its contact's insert.
		`CREATE TABLE held_deals (key text PRIMARY KEY)`,
		`CREATE FUNCTION hold_deal() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF EXISTS (SELECT 1 FROM held_deals WHERE key = NEW.key) THEN PERFORM pg_advisory_xact_lock_shared(4242); END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER hold_deal BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION hold_deal()`)
	b, err := Open(ctx, a.cfg.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	// No sweep of stale marks (sweepWaits) until the end: what is checked
	// before is that none is left.
	a.swept.Store(time.Now().Add(time.Hour).UnixNano())
	b.swept.Store(time.Now().Add(time.Hour).UnixNano())
	marks := func() map[string]bool {
		rows, _ := conn.Query(ctx, `SELECT key, waits FROM outbox WHERE kind = 'deal' AND state = 'pending'`)
		m := map[string]bool{}
		var key string
		var waits bool
		if _, err := pgx.ForEachRow(rows, []any{&key, &waits}, func() error { m[key] = waits; return nil }); err != nil {
			t.Fatal(err)
		}
		return m
	}
	mapWhileFinishing := func(id int64, ops []syncd.Op, finish func()) {
		t.Helper()
		if _, err := conn.Exec(ctx, `INSERT INTO held_deals VALUES ($1)`, ops[1].Key); err != nil {
			t.Fatal(err)
		}
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(4242)`); err != nil {
			t.Fatal(err)
		}
		mapped := make(chan error, 1)
		go func() {
			_, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: id, State: syncd.MapMapped, Ops: ops}})
			mapped <- err
		}()
		// Wait until the mapping holds at the deal: its contact is inserted, not committed.
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			var waiting bool
			if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory'
				AND objid = 4242 AND NOT granted)`).Scan(&waiting); err != nil {
				t.Fatal(err)
			}
			if waiting {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the mapping never reached its deal")
			}
		}
		finish()
		if _, err := conn.Exec(ctx, `SELECT pg_advisory_unlock(4242)`); err != nil {
			t.Fatal(err)
		}
		if err := <-mapped; err != nil {
			t.Fatal(err)
		}
	}

	// Lead 1 of anna: its deal waits for its contact, marked.
	if _, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: 1, State: syncd.MapMapped, Ops: leadOps(1, "anna@x.dk", "A")}}); err != nil {
		t.Fatal(err)
	}
	if m := marks(); !m["eaf:1"] {
		t.Errorf("marks after lead 1: %v; want eaf:1 marked", m)
	}
	if keys, _ := claimKeys(t, b, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed before their contact: %v", keys)
	}
	_, held := claimKeys(t, b, nil, syncd.RecordContact, time.Hour)
	if len(held) != 1 {
		t.Fatalf("claimed %d contacts; want anna's", len(held))
	}
	// Lead 2 of anna, another company: an update of her contact with its
	// deal, mapped by a while b finishes her first operation.
	mapWhileFinishing(2, leadOps(2, "anna@x.dk", "B"), func() {
		if err := b.FinishOps(ctx, done(held, false)); err != nil {
			t.Fatal(err)
		}
	})
	if m := marks(); m["eaf:1"] || !m["eaf:2"] {
		t.Errorf("marks after lead 2: %v; want eaf:1 unmarked (its contact's operation finished), eaf:2 marked", m)
	}
	if keys, _ := claimKeys(t, b, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed while anna's update is pending: %v", keys)
	}
	_, held = claimKeys(t, b, nil, syncd.RecordContact, time.Hour)
	if len(held) != 1 {
		t.Fatalf("claimed %d contacts; want anna's update", len(held))
	}
	// Lead 3 of anna, the same company as lead 2: her contact's operation
	// is the pending update's (skipped), so its deal is not marked; mapped
	// while b finishes that update.
	mapWhileFinishing(3, leadOps(3, "anna@x.dk", "B"), func() {
		if err := b.FinishOps(ctx, done(held, false)); err != nil {
			t.Fatal(err)
		}
	})
	if m := marks(); m["eaf:1"] || m["eaf:2"] || m["eaf:3"] {
		t.Errorf("marks after lead 3: %v; want none (anna's contact is done)", m)
	}
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:1", "eaf:2", "eaf:3"}) {
		t.Errorf("deals claimed once anna's contact is done: %v; want eaf:1, eaf:2, eaf:3", keys)
	}

	// Bo's contact dead-letters: his deal goes on (the syncer then says it has no contact).
	if _, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: 4, State: syncd.MapMapped, Ops: leadOps(4, "bo@x.dk", "C")}}); err != nil {
		t.Fatal(err)
	}
	_, held = claimKeys(t, b, nil, syncd.RecordContact, time.Hour)
	if keys, _ := claimKeys(t, b, done(held, true), syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:4"}) {
		t.Errorf("deals claimed once bo's contact is dead: %v; want eaf:4", keys)
	}

	// Carl's contact: b's lease runs out, a claims and finishes it; b's late finish changes nothing.
	if _, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: 5, State: syncd.MapMapped, Ops: leadOps(5, "carl@x.dk", "D")}}); err != nil {
		t.Fatal(err)
	}
	_, late := claimKeys(t, b, nil, syncd.RecordContact, 50*time.Millisecond)
	if len(late) != 1 {
		t.Fatalf("b claimed %d contacts; want carl's", len(late))
	}
	time.Sleep(200 * time.Millisecond)
	if keys, _ := claimKeys(t, b, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed while carl's contact's lease ran out, not finished: %v", keys)
	}
	_, held = claimKeys(t, a, nil, syncd.RecordContact, time.Hour)
	if len(held) != 1 {
		t.Fatalf("a claimed %d contacts after b's lease ran out; want carl's", len(held))
	}
	if keys, _ := claimKeys(t, a, done(held, false), syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:5"}) {
		t.Errorf("deals claimed once a finished carl's contact: %v; want eaf:5", keys)
	}
	if err := b.FinishOps(ctx, done(late, true)); err != nil {
		t.Fatal(err)
	}
	var state string
	if err := conn.QueryRow(ctx, `SELECT state FROM outbox WHERE id = $1`, late[0].ID).Scan(&state); err != nil || state != "done" {
		t.Errorf("carl's contact after b's late finish: %q, %v; want done (a's)", state, err)
	}

	// Dag's contact finished by an older syncd, which takes off no mark:
	// the claim of deals that comes up short sweeps it off, at most every
	// sweepEvery, and the next claims the deal.
	if _, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: 6, State: syncd.MapMapped, Ops: leadOps(6, "dag@x.dk", "E")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `UPDATE outbox SET state = 'done', crm_id = '6' WHERE kind = 'contact' AND key = 'dag@x.dk'`); err != nil {
		t.Fatal(err)
	}
	a.swept.Store(time.Now().Add(-sweepEvery).UnixNano())
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed by the claim that sweeps: %v", keys)
	}
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:6"}) {
		t.Errorf("deals claimed after the sweep: %v; want eaf:6", keys)
	}
}
