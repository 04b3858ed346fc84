package storetest

import (
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseErasesWhatItRead: Erase erases what the PersonData it is given
// found, by id, and nothing else. Rows stored since that read which name
// the person (her lead, a colleague's lead naming her, a quarantined body,
// a lead found unmapped that the mapper mapped since: its contact may be
// another's) make it erase nothing, saying so (EChanged): erase had not
// decided on them, nor would it name them. Rows the read found that
// changed since (delivered to the CRM, delivered again by the sender) and
// other people's new leads do not.
func testEraseErasesWhatItRead(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	a := e.personLead(in, "a", jane, false)
	b := e.personLead(in, "b", bob, false)
	unmapped := incoming("u")
	unmapped.Body = []byte(`{"event_type":"enquiry_created","id":"u","client":{"email":"` + jane.email + `"}}`)
	u, err := in.Store(e.ctx, unmapped)
	if err != nil {
		t.Fatal(err)
	}
	for name, since := range map[string]func(){
		"her lead":                      func() { e.personLead(in, "c", jane, false) },
		"a colleague's lead naming her": func() { e.namingLead(in, "d", bob, jane) },
		"a quarantined body naming her": func() {
			if _, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q",
				Body: []byte(`{"email":"` + jane.email + `",`), Quarantine: true, Reason: "invalid JSON"}); err != nil {
				t.Fatal(err)
			}
		},
		"her unmapped lead mapped": func() {
			if _, err := e.Store.RecordMapping(e.ctx, u.ID, syncd.MapMapped, "", []syncd.Op{{EventID: u.ID, Target: "hubspot",
				Kind: syncd.RecordContact, Key: bob.email, KeyKind: syncd.KeyEmail, MappingFile: "lb.yaml", MappingHash: "h1"}}); err != nil {
				t.Fatal(err)
			}
		},
	} {
		pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
		if err != nil {
			t.Fatal(err)
		}
		since()
		er, err := e.Store.Erase(e.ctx, subjectOf(jane), pd, "")
		if syncd.ErrorCode(err) != syncd.EChanged || er.Events != 0 || !e.held(a) || !e.held(u.ID) {
			t.Errorf("%s stored since the read: erased %+v, %v; want nothing erased and an EChanged error", name, er, err)
		}
	}
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	e.deliverAll()
	if dup, err := in.Store(e.ctx, incoming("a")); err != nil || dup.Outcome != syncd.Duplicate {
		t.Fatalf("her delivery retried: %+v, %v; want a duplicate", dup, err)
	}
	his := e.personLead(in, "e", bob, false)
	er, err := e.Store.Erase(e.ctx, subjectOf(jane), pd, "")
	if err != nil || er.Events != len(pd.Events) || er.Ops != len(pd.Ops) || len(pd.Events) != 4 {
		t.Fatalf("erased %+v, %v; want the %d events and %d operations read (4 events: a, u, c, d)", er, err, len(pd.Events), len(pd.Ops))
	}
	for _, ev := range pd.Events {
		if e.held(ev.ID) {
			t.Errorf("event %d, read, kept its body", ev.ID)
		}
	}
	if !e.held(b) || !e.held(his) {
		t.Errorf("his leads erased: %d %v, %d %v", b, e.held(b), his, e.held(his))
	}
}
