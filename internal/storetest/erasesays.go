package storetest

import (
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseSaysWhyItRefuses: an erase that erases nothing says why, in
// the same words on either store: no identifier (EInvalid), an operation
// of the person's being delivered (EUnavailable: try again later), rows
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
	ops := e.claim(e.Store, syncd.RecordContact, 10)
	_, err = e.erase(subjectOf(jane), "")
	says("during a delivery", err, syncd.EUnavailable,
		"1 of the person's operations is being delivered to the CRM now; try again in a few minutes")
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
