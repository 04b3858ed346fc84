package sqlite_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestOpsReadInOneQueryKeepTheirOwnFields reads, in one query and in one
// claim, operations whose rows differ in every way a row can (done or
// pending, leased or not, an error or a CRM id or neither, other
// properties): the rows of a query are scanned through one set of
// destinations (opScanner), and no operation may keep anything of the
// row read before it.
func TestOpsReadInOneQueryKeepTheirOwnFields(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	ev := opTestEvent(t, db)
	lead1, lead2 := opTestLead(ev, "hubspot", 1), opTestLead(ev, "hubspot", 2)
	if _, err := opTestEnqueue(ctx, db, append(lead1, lead2...)); err != nil {
		t.Fatal(err)
	}
	contacts, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil || len(contacts) != 2 {
		t.Fatalf("claim = %v, %v; want the 2 contacts", opIDs(contacts), err)
	}
	if contacts[0].Properties["email"] != "lead1@example.com" || contacts[1].Properties["email"] != "lead2@example.com" {
		t.Fatalf("claimed properties %v, %v", contacts[0].Properties, contacts[1].Properties)
	}
	done, retry := contacts[0], contacts[1]
	done.State, done.CRMID = syncd.OpDone, "c-1"
	retry.State, retry.LastError, retry.NextAttemptAt = syncd.OpPending, "timeout", clk.Now().Add(time.Hour)
	deals, err := db.FinishAndClaimOps(ctx, []syncd.Op{done, retry}, "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil || len(deals) != 1 || deals[0].Key != "lead-1" {
		t.Fatalf("deal claim = %+v, %v; want lead 1's deal alone", deals, err)
	}
	if deals[0].Attempts != 1 || deals[0].LastError != "" || deals[0].CRMID != "" || deals[0].ContactKey != "lead1@example.com" {
		t.Fatalf("claimed deal = %+v", deals[0])
	}
	all, err := db.ListOps(ctx, syncd.OpFilter{Limit: -1})
	if err != nil || len(all) != 4 {
		t.Fatalf("ListOps = %d ops, %v; want 4", len(all), err)
	}
	byKey := map[string]syncd.Op{}
	for _, op := range all {
		byKey[op.Key] = op
	}
	lease := clk.Now().Add(time.Minute)
	for _, c := range []struct {
		key, crmID, lastError, prop, value string
		state                              syncd.OpState
		attempts                           int
		leased                             bool
	}{
		{"lead1@example.com", "c-1", "", "email", "lead1@example.com", syncd.OpDone, 1, false},
		{"lead-1", "", "", "dealname", "Deal 1", syncd.OpPending, 1, true},
		{"lead2@example.com", "", "timeout", "email", "lead2@example.com", syncd.OpPending, 1, false},
		{"lead-2", "", "", "dealname", "Deal 2", syncd.OpPending, 0, false},
	} {
		op, ok := byKey[c.key]
		if !ok {
			t.Fatalf("no op keyed %s in %+v", c.key, all)
		}
		if op.State != c.state || op.CRMID != c.crmID || op.LastError != c.lastError || op.Attempts != c.attempts ||
			op.Properties[c.prop] != c.value || len(op.Properties) != 2 {
			t.Errorf("op %s = %+v", c.key, op)
		}
		if c.leased != op.LeaseUntil.Equal(lease) || (!c.leased && !op.LeaseUntil.IsZero()) {
			t.Errorf("op %s leased until %v, want leased %v", c.key, op.LeaseUntil, c.leased)
		}
	}
}

// TestClaimedOpsAreAsStored compares every operation a claim returns with
// the same operation read back whole (GetOp): the claim reads back only the
// columns it does not know (claimColumns) and gives each row the target and
// kind it claimed, the state pending, and the lease end and update time it
// wrote. Claims of two targets, of contacts with an update leased behind
// them (claimBehind), of deals, and of a contact claimed again after a
// retry (its attempts, last error and next attempt its own).
func TestClaimedOpsAreAsStored(t *testing.T) {
	ctx := context.Background()
	db, clk := opTestDB(t)
	ev, ev2 := opTestEvent(t, db), opTestEvent(t, db)
	update := opTestLead(ev2, "hubspot", 1)[0]
	update.Properties = map[string]string{"email": "lead1@example.com", "firstname": "Lead One"}
	ops := append(opTestLead(ev, "hubspot", 1), opTestLead(ev, "hubspot", 2)...)
	ops = append(ops, opTestLead(ev, "pipedrive", 3)...)
	ops[0].KeyKind = syncd.KeyEmail
	if _, err := opTestEnqueue(ctx, db, append(ops, update)); err != nil {
		t.Fatal(err)
	}
	asStored := func(what string, claimed []syncd.Op, want int) {
		t.Helper()
		if len(claimed) != want {
			t.Fatalf("%s: claimed %v, want %d operations", what, opIDs(claimed), want)
		}
		for _, op := range claimed {
			stored, err := db.GetOp(ctx, op.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(op, stored) {
				t.Errorf("%s: claimed op %d\n%+v\nstored\n%+v", what, op.ID, op, stored)
			}
			if op.LeaseUntil.IsZero() || op.State != syncd.OpPending || op.Attempts == 0 {
				t.Errorf("%s: claimed op %d is not leased: %+v", what, op.ID, op)
			}
		}
	}
	contacts, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	asStored("hubspot contacts", contacts, 3) // lead 1's contact, its update, lead 2's contact
	clk.Advance(time.Second)
	for i := range contacts {
		contacts[i].State, contacts[i].CRMID = syncd.OpDone, fmt.Sprint("c-", i)
	}
	retry := contacts[2]
	retry.State, retry.CRMID, retry.LastError = syncd.OpPending, "", "timeout"
	retry.NextAttemptAt, retry.DeadCause = clk.Now().Add(time.Minute), syncd.DoneDeletedInCRM
	deals, err := db.FinishAndClaimOps(ctx, append(contacts[:2:2], retry), "hubspot", syncd.RecordDeal, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	asStored("hubspot deals", deals, 1)
	clk.Advance(2 * time.Minute)
	again, err := db.FinishAndClaimOps(ctx, nil, "hubspot", syncd.RecordContact, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	asStored("a contact retried", again, 1)
	if again[0].Attempts != 2 || again[0].LastError != "timeout" || again[0].DeadCause != syncd.DoneDeletedInCRM {
		t.Errorf("contact claimed again = %+v; want its second attempt after a timeout", again[0])
	}
	other, err := db.FinishAndClaimOps(ctx, nil, "pipedrive", syncd.RecordContact, 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	asStored("pipedrive contacts", other, 1)
}
