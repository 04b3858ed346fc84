package syncer_test

import (
	"context"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestUnconfirmedCreateWaitsAlone: a phone-only contact whose create lost
// its answer, alone in its call, is not an outage: the next run delivers
// other leads at once, and only that contact (and so its deal) waits.
func TestUnconfirmedCreateWaitsAlone(t *testing.T) {
	t.Parallel()
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{}, nil)
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts", Action: crmfake.ActApplyThenDrop, Uses: 1})
	const phone = "+4520000000"
	enqueueLeadsWith(t, r.db, hubspot.Name, 0, 1, func(_ int, c, d *syncd.Op) {
		c.Key, c.KeyKind, d.ContactKey = phone, syncd.KeyPhone, phone
		c.Properties = map[string]string{"firstname": "Phone", "phone": phone}
	})
	ctx := context.Background()
	sum, err := r.s.RunOnce(ctx)
	if err != nil || !sum.CoolingUntil.IsZero() || sum.Retried != 1 {
		t.Fatalf("first run %+v, %v: want one retried op and no cool-down", sum, err)
	}
	// The guard's intent is a time in crm_intents, not a fake link.
	// No method lists every intent or link, so the tables are counted
	// through the read-only pool.
	var intents, odd int
	_ = r.db.Reader().QueryRow(`SELECT COUNT(*) FROM crm_intents`).Scan(&intents)
	_ = r.db.Reader().QueryRow(`SELECT COUNT(*) FROM crm_links WHERE kind NOT IN ('contact', 'deal')`).Scan(&odd)
	if intents != 1 || odd != 0 {
		t.Fatalf("%d intents, %d links of another kind", intents, odd)
	}
	enqueueLeads(t, r.db, hubspot.Name, 1, 11)
	if sum, err = r.s.RunOnce(ctx); err != nil || sum.Done != 20 {
		t.Fatalf("second run %+v, %v: want the 10 other leads done", sum, err)
	}
	for _, op := range allOps(t, r.db) {
		waiting := op.Key == phone || op.ContactKey == phone
		if waiting != (op.State == syncd.OpPending) {
			t.Fatalf("op %s %s is %s", op.Kind, op.Key, op.State)
		}
	}
}

// TestWaitsDoNotCountTowardsAttempts: a record that must wait (its create
// unconfirmed) is not failing; however many runs it waits, it is never a
// dead letter, and it goes out once the CRM lets it.
func TestWaitsDoNotCountTowardsAttempts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	crm.fail = func(syncd.RecordKind, string) error {
		return &syncd.CRMError{Code: "CREATE_IN_DOUBT", Message: "unconfirmed create", Class: syncd.ErrWait}
	}
	enqueueLeads(t, db, "mem", 0, 1)
	s := newSyncer(t, db, crm, clk, nil) // MaxAttempts 5
	for i := 0; i < 12; i++ {
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute) // past RetryMax: every run finds it due
	}
	for _, op := range allOps(t, db) {
		if op.State != syncd.OpPending {
			t.Fatalf("op %s after 12 waits: %s (%s)", op.Kind, op.State, op.LastError)
		}
	}
	crm.fail = nil
	if sum, err := s.RunOnce(ctx); err != nil || sum.Done != 2 {
		t.Fatalf("once the CRM lets it: %+v, %v", sum, err)
	}
}

// TestAWaitEndsWhenTheCRMSays: a record told to wait a given time (a
// create not yet searchable, settling for Settle) is due again when that
// time is up, not after the back-off its earlier failures had earned:
// with four failed attempts behind it, that back-off was 8-16 s here
// where the CRM asked for 3 s (a minute where the CRM asked for 5 s,
// with the defaults, in the end-to-end Pipedrive upgrade test).
func TestAWaitEndsWhenTheCRMSays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	clk := newClock()
	db := openDB(t, clk)
	crm := newMemCRM()
	enqueueLeads(t, db, "mem", 0, 2)
	failing := email(0)
	crm.fail = func(_ syncd.RecordKind, key string) error {
		if key == failing {
			return &syncd.CRMError{Code: "HTTP_500", Message: "server error", Class: syncd.ErrRetry}
		}
		return nil
	}
	s := newSyncer(t, db, crm, clk, nil) // RetryBase 1 s, RetryMax 1 min
	for range 4 {
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clk.Advance(2 * time.Minute)
	}
	crm.fail = func(_ syncd.RecordKind, key string) error {
		if key == failing {
			return &syncd.CRMError{Code: "CREATE_UNSETTLED", Message: "an earlier create may not be searchable yet",
				Class: syncd.ErrWait, RetryAfter: 3 * time.Second}
		}
		return nil
	}
	if _, err := s.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	for _, op := range allOps(t, db) {
		if op.Key != failing {
			continue
		}
		if op.Attempts < 3 {
			t.Fatalf("op %s has %d attempts: the test meant it to have failed before", op.Kind, op.Attempts)
		}
		if got := op.NextAttemptAt.Sub(clk.Now()); got != 3*time.Second {
			t.Errorf("op %s (%d attempts) waits %v, want the 3s the CRM asked for", op.Kind, op.Attempts, got)
		}
	}
}
