package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseSaysWhyItRefuses: an erase that erases nothing says why, in
// the same words on either store: no identifier (EInvalid), an operation
// of the person's being delivered (EUnavailable: try again once its lease
// ends at the latest), rows
// naming the person stored since they were read (EChanged: read again).
func testEraseSaysWhyItRefuses(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	says := func(what string, err error, code, text string) {
		t.Helper()
		if syncd.ErrorCode(err) != code || err == nil || !strings.Contains(err.Error(), text) {
			t.Errorf("erase %s: %v; want %s saying %q", what, err, code, text)
		}
	}
	_, err := e.Store.Erase(e.ctx, syncd.Subject{ID: jane.email}, syncd.PersonData{}, "")
	says("without a pattern", err, syncd.EInvalid, "erase: no identifier")
	e.personLead(in, "a", jane, false)
	ops, err := e.Store.FinishAndClaimOps(e.ctx, nil, "hubspot", syncd.RecordContact, 10, 5*time.Minute)
	if err != nil || len(ops) != 1 {
		t.Fatalf("claim: %v, %v", ops, err)
	}
	_, err = e.erase(subjectOf(jane), "")
	// When to try again is when the lease ends at the latest (it said "in a
	// few minutes", whatever sync.lease was).
	says("during a delivery", err, syncd.EUnavailable,
		"1 of the person's operations is being delivered to the CRM now; try again once delivered, "+
			"within 5 minutes at the latest (when the sync's lease on them ends)")
	ops[0].State, ops[0].CRMID = syncd.OpDone, "c-1"
	if err := e.Store.FinishOps(e.ctx, ops); err != nil {
		t.Fatal(err)
	}
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q",
		Body: []byte(`{"email":"` + jane.email + `",`), Quarantine: true, Reason: "invalid JSON"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.Store.Erase(e.ctx, subjectOf(jane), pd, "")
	says("after a body naming her came", err, syncd.EChanged,
		"stored since the person was read: 0 events, 1 quarantined body, 0 outbox operations that name them; nothing was erased")
}
