package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// subjectOf is p as erase and export take them, by email.
func subjectOf(p person) syncd.Subject {
	return syncd.Subject{ID: p.email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: p.email}}, Patterns: []string{p.email}}
}

// erase erases s as syncd erase does: what PersonData finds.
func (e *env) erase(s syncd.Subject, crmTarget string) (syncd.Erasure, error) {
	e.t.Helper()
	pd, err := e.Store.PersonData(e.ctx, s)
	if err != nil {
		return syncd.Erasure{}, err
	}
	return e.Store.Erase(e.ctx, s, pd, crmTarget)
}

// testErase: erase drops one person's event bodies, quarantined bodies,
// operations, links and intents, queues their erasure in the CRM, leaves
// everyone else's, and keeps a retried delivery a duplicate; the same
// person erased again has the same audit hash and nothing left to erase.
func testErase(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	a := e.personLead(in, "a", jane, false)
	b := e.personLead(in, "b", bob, false)
	c := e.personLead(in, "c", jane, true)
	e.deliverAll()
	var qs []int64
	for _, p := range []person{jane, bob} {
		q, _ := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q-" + p.email,
			Body: []byte(`{"email":"` + p.email + `",`), Quarantine: true, Reason: "invalid JSON"})
		qs = append(qs, q.ID)
	}
	e.Store.SetIntent(e.ctx, "pipedrive", syncd.RecordContact, jane.email, e.now())

	her := subjectOf(jane)
	her.Holds = syncd.PersonKeys{Emails: []string{jane.email}}
	er, err := e.erase(her, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 2 || er.Quarantined != 1 || er.Ops != 3 || er.Links != 3 || er.Intents != 1 || er.CRMOps != 1 ||
		len(er.Received) != 3 || len(er.SubjectHash) != 64 || !er.At.Equal(e.now()) {
		t.Fatalf("erased %+v; want 2 events, 1 quarantined, 3 ops, 3 links, 1 intent, 1 CRM op, 3 times received", er)
	}
	for id, want := range map[int64]bool{a: false, c: false, b: true} {
		if e.held(id) != want {
			t.Errorf("event %d held %v after the erase, want %v", id, !want, want)
		}
	}
	if j, _ := e.Store.QuarantinedBody(e.ctx, qs[0]); len(j.Body) != 0 {
		t.Errorf("her quarantined body kept: %q", j.Body)
	}
	if o, _ := e.Store.QuarantinedBody(e.ctx, qs[1]); len(o.Body) == 0 {
		t.Error("his quarantined body erased")
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, jane.email); id != "" {
		t.Errorf("her link kept: %q", id)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, bob.email); id == "" {
		t.Error("his link erased")
	}
	ops, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{})
	kinds := []syncd.RecordKind{}
	for _, op := range ops {
		kinds = append(kinds, op.Kind)
	}
	if !slices.Equal(kinds, []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal, syncd.RecordErase}) ||
		ops[0].EventID != b || ops[2].Key != "crm-"+jane.email {
		t.Errorf("operations left: %+v; want his two and the erasure of her contact", ops)
	}
	if p, held := ops[2].Properties, ops[2].ErasePerson(); len(p) != 2 || strings.Contains(p["person_keys"], jane.email) ||
		held == nil || !held.HasEmail(jane.email) || held.HasEmail(bob.email) {
		t.Errorf("erase operation properties %v; want its deals, and her email sealed (to tell her records from others')", p)
	}
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil || len(pd.Events)+len(pd.Quarantined)+len(pd.Ops)+len(pd.Links)+len(pd.Intents) > 0 {
		t.Errorf("her data after the erase: %+v, %v", pd, err)
	}
	if dup, err := in.Store(e.ctx, incoming("a")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != a {
		t.Errorf("her delivery retried: %+v, %v; want a duplicate of %d", dup, err, a)
	}
	again, err := e.erase(subjectOf(jane), "")
	if err != nil || again.SubjectHash != er.SubjectHash || again.Events+again.Ops+again.Links+again.Quarantined != 0 {
		t.Fatalf("erased again: %+v, %v; want the same hash and nothing", again, err)
	}
	if _, err := e.Store.Erase(e.ctx, syncd.Subject{}, syncd.PersonData{}, ""); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("erase of nobody: %v", err)
	}
}

// testErasureAudit: PersonData carries the audit entries of the person's
// erasures (none before the first, none of anyone else's), found by the
// email alone, by the email and the phone when erased with both, and
// after the salt was made by another person's erase.
func testErasureAudit(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.deliverAll()
	if pd, err := e.Store.PersonData(e.ctx, subjectOf(jane)); err != nil || len(pd.Erasures) != 0 {
		t.Fatalf("erasures before any erase: %+v, %v", pd.Erasures, err)
	}
	first, err := e.erase(subjectOf(jane), "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	e.advance(time.Hour)
	both := syncd.Subject{ID: jane.email + " +4520123456", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: jane.email}, {Kind: syncd.KeyPhone, Value: "+4520123456"}}, Patterns: []string{jane.email}}
	second, err := e.erase(both, "")
	if err != nil {
		t.Fatal(err)
	}
	pd, err := e.Store.PersonData(e.ctx, both)
	if err != nil || len(pd.Erasures) != 2 {
		t.Fatalf("erasures of her by email and phone: %+v, %v; want 2", pd.Erasures, err)
	}
	got := pd.Erasures[0]
	if !got.At.Equal(first.At) || got.SubjectHash != first.SubjectHash || got.Events != 1 || got.Ops != 2 ||
		got.Links != 2 || got.CRMOps != 1 || !pd.Erasures[1].At.Equal(second.At) {
		t.Errorf("erasures %+v; want first %+v then one at %v", pd.Erasures, first, second.At)
	}
	if pd, _ := e.Store.PersonData(e.ctx, subjectOf(jane)); len(pd.Erasures) != 1 {
		t.Errorf("erasures of her by email: %+v; want the one by email alone", pd.Erasures)
	}
	if pd, _ := e.Store.PersonData(e.ctx, subjectOf(bob)); len(pd.Erasures) != 0 {
		t.Errorf("erasures of him: %+v; want none", pd.Erasures)
	}
}

// testEraseLeased: erase refuses while one of the person's operations is
// being delivered (its CRM link would be written after the erase), and
// erases once it is done.
func testEraseLeased(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	ops := e.claim(e.Store, syncd.RecordContact, 10)
	if _, err := e.erase(subjectOf(jane), ""); syncd.ErrorCode(err) != syncd.EUnavailable {
		t.Fatalf("erase during a delivery: %v; want unavailable", err)
	}
	if !e.held(ops[0].EventID) {
		t.Fatal("a refused erase changed the event")
	}
	ops[0].State, ops[0].CRMID = syncd.OpDone, "c-1"
	if err := e.Store.FinishOps(e.ctx, ops); err != nil {
		t.Fatal(err)
	}
	if er, err := e.erase(subjectOf(jane), ""); err != nil || er.Ops != 2 || er.Links != 1 {
		t.Fatalf("erase after the delivery: %+v, %v; want 2 ops and the link", er, err)
	}
}

// testMappingAfterErase: a mapper that read an event before it was erased
// (another instance's, or the daemon's beside syncd erase) records
// nothing for it: no operation brings the person's data back.
func testMappingAfterErase(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	inc := incoming("a")
	inc.Body = []byte(`{"event_type":"enquiry_created","email":"` + jane.email + `"}`)
	rec, err := in.Store(e.ctx, inc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.erase(subjectOf(jane), ""); err != nil {
		t.Fatal(err)
	}
	ops := lead(rec.ID, 1)
	ops[0].Properties["email"] = jane.email
	if n, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapMapped, "", ops); err != nil || n != 0 {
		t.Fatalf("mapping an erased event: %d ops, %v; want none, no error", n, err)
	}
	if n, err := e.Store.RecordMappings(e.ctx, []syncd.Mapping{{EventID: rec.ID, State: syncd.MapMapped, Ops: ops}}); err != nil || n != 0 {
		t.Fatalf("mapping an erased event in a batch: %d ops, %v; want none, no error", n, err)
	}
	if left, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{}); len(left) != 0 {
		t.Fatalf("operations of an erased event: %+v", left)
	}
	if ev, _ := e.Store.Event(e.ctx, rec.ID); ev.MapState != syncd.MapIgnored {
		t.Fatalf("erased event's mapping state %q, want ignored", ev.MapState)
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID+100, syncd.MapIgnored, "", nil); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("mapping no event: %v", err)
	}
}
