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

// outcome is ops finished as state: done with a CRM id, dead, or pending
// again (a retry) due in an hour.
func outcome(ops []syncd.Op, state syncd.OpState) []syncd.Op {
	out := slices.Clone(ops)
	for i := range out {
		out[i].State = state
		switch state {
		case syncd.OpDone:
			out[i].CRMID = fmt.Sprint(out[i].ID)
		case syncd.OpDead:
			out[i].LastError = "refused"
		case syncd.OpPending:
			out[i].LastError, out[i].NextAttemptAt = "CRM busy", time.Now().Add(time.Hour)
		}
	}
	return out
}

// done is ops finished as done, each with a CRM id.
func done(ops []syncd.Op) []syncd.Op { return outcome(ops, syncd.OpDone) }

// TestADealWaitsForItsContactWhateverTheInterleaving: the deals of a
// contact the CRM refused, retried later, are marked as waiting
// (migration 0019), and the claim of deals, which reads only unmarked
// ones, still never takes a deal before its contact and never leaves one
// behind. Two instances: a's retry of anna's contact marks her deal while
// b's finish of the same operation (a's lease had run out) waits for it,
// and b's finish then takes the mark off; a deal mapped beside a retry is
// not marked, and waits for the contact still; a contact that
// dead-letters after a retry lets its deal go; a contact finished by an
// older syncd, which takes no mark off, lets it go at the next sweep.
func TestADealWaitsForItsContactWhateverTheInterleaving(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, conn := seededConn(t, waitsEvents,
		// A statement marking deals waits, in its transaction, for the
		// test's advisory lock 4242 while a row of held says so.
		`CREATE TABLE held (on_mark boolean)`,
		`CREATE FUNCTION hold_mark() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN
			IF EXISTS (SELECT 1 FROM held) THEN PERFORM pg_advisory_xact_lock_shared(4242); END IF;
			RETURN NEW;
		END $$`,
		`CREATE TRIGGER hold_mark BEFORE UPDATE ON outbox FOR EACH ROW WHEN (NEW.waits AND NOT OLD.waits)
			EXECUTE FUNCTION hold_mark()`)
	b, err := Open(ctx, a.cfg.ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	// No sweep of stale marks (sweepWaits) until the end: what is checked
	// before is that none is left.
	a.swept.Store(time.Now().Add(time.Hour).UnixNano())
	b.swept.Store(time.Now().Add(time.Hour).UnixNano())
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
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
	mapLead := func(id int64, email, company string) {
		t.Helper()
		if _, err := a.RecordMappings(ctx, []syncd.Mapping{{EventID: id, State: syncd.MapMapped, Ops: leadOps(id, email, company)}}); err != nil {
			t.Fatal(err)
		}
	}
	due := func(email string) {
		exec(`UPDATE outbox SET next_attempt_at = now() WHERE key = $1 AND state = 'pending'`, email)
	}

	// Anna's lead: nothing marked; her deal waits for her contact.
	mapLead(1, "anna@x.dk", "A")
	if m := marks(); m["eaf:1"] {
		t.Errorf("marks once mapped: %v; want none", m)
	}
	if keys, _ := claimKeys(t, b, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed before their contact: %v", keys)
	}
	// b claims her contact; its lease runs out; a claims it again and
	// retries it, marking her deal, while b's finish of it as sent waits
	// for a's row. b's finish then sees the mark and takes it off.
	_, late := claimKeys(t, b, nil, syncd.RecordContact, 50*time.Millisecond)
	time.Sleep(200 * time.Millisecond)
	_, held := claimKeys(t, a, nil, syncd.RecordContact, time.Hour)
	if len(late) != 1 || len(held) != 1 {
		t.Fatalf("b claimed %d contacts, then a %d; want anna's each", len(late), len(held))
	}
	exec(`INSERT INTO held VALUES (true)`)
	exec(`SELECT pg_advisory_lock(4242)`)
	retried := make(chan error, 1)
	go func() { retried <- a.FinishOps(ctx, outcome(held, syncd.OpPending)) }()
	waitFor(t, conn, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted)`)
	sent := make(chan error, 1)
	go func() { sent <- b.FinishOps(ctx, done(late)) }()
	waitFor(t, conn, `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'transactionid' AND NOT granted)`)
	exec(`DELETE FROM held`)
	exec(`SELECT pg_advisory_unlock(4242)`)
	if err := <-retried; err != nil {
		t.Fatal(err)
	}
	if err := <-sent; err != nil {
		t.Fatal(err)
	}
	if m := marks(); m["eaf:1"] {
		t.Errorf("marks once b sent anna's contact after a's retry: %v; want none", m)
	}
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:1"}) {
		t.Errorf("deals claimed once anna's contact is done: %v; want eaf:1", keys)
	}

	// Bo's contact is retried: his deal is marked; a second lead of his,
	// mapped since (an update of his contact with it), is not, and waits
	// still; once both his operations are sent, both deals go.
	mapLead(2, "bo@x.dk", "B")
	_, held = claimKeys(t, b, nil, syncd.RecordContact, time.Hour)
	if err := b.FinishOps(ctx, outcome(held, syncd.OpPending)); err != nil {
		t.Fatal(err)
	}
	mapLead(3, "bo@x.dk", "C")
	if m := marks(); !m["eaf:2"] || m["eaf:3"] {
		t.Errorf("marks after bo's retry and his second lead: %v; want eaf:2 marked, eaf:3 not", m)
	}
	if keys, _ := claimKeys(t, b, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed while bo's contact is pending: %v", keys)
	}
	due("bo@x.dk")
	_, held = claimKeys(t, b, nil, syncd.RecordContact, time.Hour)
	if len(held) != 2 {
		t.Fatalf("claimed %d of bo's contact operations; want both, one upsert", len(held))
	}
	if keys, _ := claimKeys(t, b, done(held), syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:2", "eaf:3"}) {
		t.Errorf("deals claimed once bo's contact is done: %v; want eaf:2, eaf:3", keys)
	}

	// Carl's contact, retried, then dead: his deal goes on (the syncer
	// then says it has no contact).
	mapLead(4, "carl@x.dk", "D")
	_, held = claimKeys(t, a, nil, syncd.RecordContact, time.Hour)
	if err := a.FinishOps(ctx, outcome(held, syncd.OpPending)); err != nil {
		t.Fatal(err)
	}
	due("carl@x.dk")
	_, held = claimKeys(t, a, nil, syncd.RecordContact, time.Hour)
	if keys, _ := claimKeys(t, a, outcome(held, syncd.OpDead), syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:4"}) {
		t.Errorf("deals claimed once carl's contact is dead: %v; want eaf:4", keys)
	}

	// Dag's contact, retried, then sent by an older syncd, which takes no
	// mark off: the claim of deals that comes up short sweeps it off, at
	// most every sweepEvery, and the next claims the deal.
	mapLead(5, "dag@x.dk", "E")
	_, held = claimKeys(t, a, nil, syncd.RecordContact, time.Hour)
	if err := a.FinishOps(ctx, outcome(held, syncd.OpPending)); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE outbox SET state = 'done', crm_id = '5' WHERE kind = 'contact' AND key = 'dag@x.dk'`)
	a.swept.Store(time.Now().Add(-sweepEvery).UnixNano())
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); len(keys) != 0 {
		t.Fatalf("deals claimed by the claim that sweeps: %v", keys)
	}
	if keys, _ := claimKeys(t, a, nil, syncd.RecordDeal, time.Hour); !slices.Equal(keys, []string{"eaf:5"}) {
		t.Errorf("deals claimed after the sweep: %v; want eaf:5", keys)
	}
}

// waitFor polls the query on conn, a boolean, until it is true (10 s at most).
func waitFor(t *testing.T, conn *pgx.Conn, query string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		var ok bool
		if err := conn.QueryRow(context.Background(), query).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("never true: %s", query)
		}
	}
}
