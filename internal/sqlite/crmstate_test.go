package sqlite_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestRetryDeadContactRevivesByCauseNotMessage: retrying a dead contact
// revives the deal that died for want of it (its dead_cause), whatever
// its message says, and not a deal the CRM rejected with a message that
// happens to read the same.
func TestRetryDeadContactRevivesByCauseNotMessage(t *testing.T) {
	ctx := context.Background()
	db, _ := opTestDB(t)
	ops := opTestLead(opTestEvent(t, db), "hubspot", 0)
	second := opTestLead(opTestEvent(t, db), "hubspot", 1)[1] // a second deal of lead 0's contact
	second.ContactKey = ops[0].Key
	if _, err := opTestEnqueue(ctx, db, append(ops, second)); err != nil {
		t.Fatal(err)
	}
	contacts, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	contacts[0].State, contacts[0].LastError = syncd.OpDead, "crm 400: bad email"
	if err := db.FinishOps(ctx, contacts); err != nil {
		t.Fatal(err)
	}
	deals, _ := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if len(deals) != 2 {
		t.Fatalf("deals %v", opIDs(deals))
	}
	deals[0].State, deals[0].DeadCause, deals[0].LastError = syncd.OpDead, syncd.DeadNoContact, "waiting for its contact"
	deals[1].State, deals[1].LastError = syncd.OpDead, "contact not in CRM (said the CRM)"
	if err := db.FinishOps(ctx, deals); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RetryDeadOp(ctx, contacts[0].ID); err != nil {
		t.Fatal(err)
	}
	for i, want := range []syncd.OpState{syncd.OpPending, syncd.OpDead} {
		op, err := db.GetOp(ctx, deals[i].ID)
		if err != nil || op.State != want || op.DeadCause != "" && want == syncd.OpPending {
			t.Fatalf("deal %d: %+v, %v; want %s", i, op, err, want)
		}
	}
}

// TestIntentsLiveApartFromLinks: a guard's intent is a time in its own
// table; crm_links holds CRM ids only, and an empty id removes a link.
func TestIntentsLiveApartFromLinks(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	at := clk.Now().Add(-time.Second)
	if err := db.SetIntent(ctx, "hubspot", syncd.RecordContact, "+4520000000", at); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Intent(ctx, "hubspot", syncd.RecordContact, "+4520000000"); err != nil || !got.Equal(at) {
		t.Fatalf("intent %v, %v; want %v", got, err, at)
	}
	if err := db.SetLink(ctx, "hubspot", syncd.RecordContact, "+4520000000", "51"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetLink(ctx, "hubspot", syncd.RecordContact, "+4520000000", ""); err != nil {
		t.Fatal(err)
	}
	var links int
	if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM crm_links`).Scan(&links); err != nil || links != 0 {
		t.Fatalf("crm_links holds %d rows, %v", links, err)
	}
	if err := db.SetIntent(ctx, "hubspot", syncd.RecordContact, "+4520000000", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Intent(ctx, "hubspot", syncd.RecordContact, "+4520000000"); !got.IsZero() {
		t.Fatalf("intent not cleared: %v", got)
	}
}

var _ interface {
	Intent(context.Context, string, syncd.RecordKind, string) (time.Time, error)
} = (*sqlite.DB)(nil)

// TestKeyKindIsStored: what a contact's key is survives the outbox.
func TestKeyKindIsStored(t *testing.T) {
	ctx := context.Background()
	db, _ := opTestDB(t)
	op := opTestLead(opTestEvent(t, db), "hubspot", 0)[0]
	op.Key, op.KeyKind, op.Properties = "+4520000000", syncd.KeyPhone, map[string]string{"phone": "+4520000000"}
	if _, err := opTestEnqueue(ctx, db, []syncd.Op{op}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(got) != 1 || got[0].KeyKind != syncd.KeyPhone {
		t.Fatalf("claimed %+v, %v", got, err)
	}
}

// TestMigration0004MovesStringStateIntoFields opens a database as version
// 3 left it (intents as fake links, key kinds guessed, the dead cause in a
// message) and checks what migration 0004 makes of it.
func TestMigration0004MovesStringStateIntoFields(t *testing.T) {
	ctx := context.Background()
	path, raw := oldSchema(t, 3)
	ev := oldEvent(t, raw, "test", syncd.KindEAF, "portal_submission", "test:0", "{}")
	phone := opTestLead(ev, "hubspot", 1)
	phone[0].Key, phone[0].Properties = "+4520000000", map[string]string{"phone": "+4520000000"}
	phone[1].ContactKey = phone[0].Key
	oldOps(t, raw, append(opTestLead(ev, "hubspot", 0), phone...))
	if _, err := raw.ExecContext(ctx, `UPDATE outbox SET state = 'dead', last_error = 'contact not in CRM: its contact operation is dead' WHERE key = 'lead-1';
		INSERT INTO crm_links VALUES ('hubspot', 'contact_intent', '+4520000000', '2026-03-01T09:00:00.5Z', 'x'),
			('hubspot', 'contact', 'lead0@example.com', '51', 'x'), ('hubspot', 'contact', 'gone@example.com', '', 'x')`); err != nil {
		t.Fatal(err)
	}
	db := upgraded(t, path, raw)
	ops, err := opTestOfEvent(ctx, db, ev)
	if err != nil || len(ops) != 4 {
		t.Fatalf("ops %v, %v", ops, err)
	}
	if ops[0].KeyKind != syncd.KeyEmail || ops[2].KeyKind != syncd.KeyPhone || ops[1].KeyKind != "" {
		t.Fatalf("key kinds %q %q %q", ops[0].KeyKind, ops[2].KeyKind, ops[1].KeyKind)
	}
	if ops[3].DeadCause != syncd.DeadNoContact || ops[1].DeadCause != "" {
		t.Fatalf("dead causes %q %q", ops[3].DeadCause, ops[1].DeadCause)
	}
	at, err := db.Intent(ctx, "hubspot", syncd.RecordContact, "+4520000000")
	if err != nil || !at.Equal(time.Date(2026, 3, 1, 9, 0, 0, 500e6, time.UTC)) {
		t.Fatalf("intent %v, %v", at, err)
	}
	var links int
	if err := db.Reader().QueryRow(`SELECT COUNT(*) FROM crm_links`).Scan(&links); err != nil || links != 1 {
		t.Fatalf("%d links, %v; want only the real one", links, err)
	}
}
