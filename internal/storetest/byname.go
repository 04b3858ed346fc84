package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// nameLead stores a lead of kind whose contact is name alone (no email,
// no phone), as its sender writes it, and returns its id.
func (e *env) nameLead(in Intake, key string, kind syncd.Kind, name, message string) int64 {
	e.t.Helper()
	inc := e.nameIncoming(key, kind, name, message)
	rec, err := in.Store(e.ctx, inc)
	if err != nil || rec.Outcome != syncd.Accepted {
		e.t.Fatalf("store %s: %+v, %v", key, rec, err)
	}
	return rec.ID
}

func (e *env) nameIncoming(key string, kind syncd.Kind, name, message string) syncd.Incoming {
	inc := incoming(key)
	inc.Kind = kind
	switch kind {
	case syncd.KindEAF:
		inc.Source, inc.Type = "eaf", syncd.TypeEmailLead
		inc.Body = fmt.Appendf(nil, `{"eaf_type":"email_lead","eaf_id":%q,"contact_name":%q,"contact_message_flat":%q}`, key, name, message)
	default:
		inc.Body = fmt.Appendf(nil, `{"event_type":"enquiry_created","id":%q,"payload":{"client":{"name":%q},"comment":%q}}`, key, name, message)
	}
	return inc
}

// ids are the ids of pd's events.
func ids(pd syncd.PersonData) []int64 {
	var out []int64
	for _, ev := range pd.Events {
		out = append(out, ev.ID)
	}
	return out
}

// testPersonDataByName: PersonData of a Subject.Name finds the leads whose
// contact name is that name, ignoring case and spacing, in the field each
// sender puts it in (EAF's contact_name, Lokalebasen's payload.client.name),
// and not a longer name nor a lead that only mentions it in its message;
// and Erase refuses a name alone: it is not an identity.
func testPersonDataByName(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	anna := e.nameLead(in, "n1", syncd.KindEAF, "Anna Jensen", "Call me about the flat on Vesterbro")
	other := e.nameLead(in, "n2", syncd.KindLokalebasen, "anna  JENSEN", "Is the office free?")
	e.nameLead(in, "n3", syncd.KindEAF, "Anna Jensen-Berg", "Another Anna")
	e.nameLead(in, "n4", syncd.KindEAF, "Bob Keeper", "Anna Jensen gave me your number")
	e.personLead(in, "p1", jane, false)
	// Written decomposed (A and a combining ring), as a Mac may send it,
	// with a no-break space: the sender's reader composes it.
	aase := e.nameLead(in, "n6", syncd.KindEAF, "A\u030ase\u00a0Berg", "")
	if pd, err := e.Store.PersonData(e.ctx, syncd.Subject{Name: syncd.NameKey("ÅSE BERG")}); err != nil || !slices.Equal(ids(pd), []int64{aase}) {
		t.Errorf("leads named Åse Berg: %v, %v; want %d (sent decomposed)", ids(pd), err, aase)
	}
	pd, err := e.Store.PersonData(e.ctx, syncd.Subject{Name: syncd.NameKey(" ANNA jensen ")})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pd); !slices.Equal(got, []int64{anna, other}) {
		t.Fatalf("leads named Anna Jensen: %v; want %v (EAF's and Lokalebasen's, not Anna Jensen-Berg's nor Bob's message)", got, []int64{anna, other})
	}
	if len(pd.Links)+len(pd.Ops)+len(pd.Quarantined) != 0 {
		t.Errorf("name-only leads hold no operations, links, quarantined copies: %+v", pd)
	}
	s := syncd.Subject{ID: "name", Name: syncd.NameKey("Anna Jensen")}
	if er, err := e.Store.Erase(e.ctx, s, pd, ""); syncd.ErrorCode(err) != syncd.EInvalid || er.Events != 0 || !e.held(anna) {
		t.Errorf("erase by a name alone: %+v, %v; want it refused (EInvalid), nothing erased", er, err)
	}
}

// testEraseByEvent: a Subject of Events erases exactly those events, with
// the quarantined body repaired into one (its copy) and their outbox
// operations, records the erasure, and nothing else: the other lead of the
// same name keeps its body, and a name search no longer finds the erased.
func testEraseByEvent(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	anna := e.nameLead(in, "n1", syncd.KindEAF, "Anna Jensen", "Call me about the flat on Vesterbro")
	other := e.nameLead(in, "n2", syncd.KindLokalebasen, "Anna Jensen", "Is the office free?")
	q, err := in.Store(e.ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Key: "nq",
		Body: []byte(`{"eaf_type":"email_lead","eaf_id":"n5","contact_name":"Anna Jensen",`), Quarantine: true, Reason: "invalid JSON"})
	if err != nil {
		t.Fatal(err)
	}
	fixed := e.nameIncoming("n5", syncd.KindEAF, "Anna Jensen", "")
	fixed.Source, fixed.Kind = "", ""
	rep, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window)
	if err != nil || rep.Outcome != syncd.Accepted {
		t.Fatalf("repair = %+v, %v", rep, err)
	}
	s := syncd.Subject{ID: fmt.Sprintf("events %d %d", anna, rep.ID), Events: []int64{anna, rep.ID}}
	pd, err := e.Store.PersonData(e.ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(pd); !slices.Equal(got, []int64{anna, rep.ID}) || len(pd.Quarantined) != 1 || pd.Quarantined[0].ID != q.ID {
		t.Fatalf("events %d and %d read: %v, quarantined %+v; want those two and the quarantined copy %d", anna, rep.ID, got, pd.Quarantined, q.ID)
	}
	er, err := e.Store.Erase(e.ctx, s, pd, "")
	if err != nil || er.Events != 2 || er.Quarantined != 1 || er.SubjectHash == "" {
		t.Fatalf("erase events %d, %d: %+v, %v; want 2 events and 1 quarantined body erased, audited", anna, rep.ID, er, err)
	}
	if e.held(anna) || e.held(rep.ID) || !e.held(other) {
		t.Errorf("after the erase: %d held %v, %d held %v (want both gone); the other Anna's %d held %v (want kept)",
			anna, e.held(anna), rep.ID, e.held(rep.ID), other, e.held(other))
	}
	if qb, err := e.Store.QuarantinedBody(e.ctx, q.ID); err != nil || len(qb.Body) != 0 {
		t.Errorf("the quarantined copy after the erase: %q, %v; want no body", qb.Body, err)
	}
	after, err := e.Store.PersonData(e.ctx, syncd.Subject{Name: syncd.NameKey("Anna Jensen")})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(after); !slices.Equal(got, []int64{other}) {
		t.Errorf("leads named Anna Jensen after the erase: %v; want only %d", got, other)
	}
}
