package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// person is one lead's person.
type person struct{ name, email, phone string }

var (
	jane = person{"Jane Erasmus", "jane@example.com", "20 12 34 56"}
	bob  = person{"Bob Keeper", "bob@example.org", "31 98 76 54"}
)

// personLead stores a lead of p under key (a body naming nobody when
// anonymous) and maps it to a contact keyed by p's email and a deal.
func (e *env) personLead(in Intake, key string, p person, anonymous bool) int64 {
	e.t.Helper()
	inc := incoming(key)
	if !anonymous {
		inc.Body = fmt.Appendf(nil, `{"event_type":"enquiry_created","id":%q,"client":{"name":%q,"email":%q,"phone":%q}}`,
			key, p.name, p.email, p.phone)
	}
	rec, err := in.Store(e.ctx, inc)
	if err != nil || rec.Outcome != syncd.Accepted {
		e.t.Fatalf("store %s: %+v, %v", key, rec, err)
	}
	ops := []syncd.Op{
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordContact, Key: p.email, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": p.email, "phone": p.phone}, MappingFile: "lb.yaml", MappingHash: "h1"},
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordDeal, Key: "deal-" + key, ContactKey: p.email,
			Properties: map[string]string{"dealname": "Lead of " + p.name}, MappingFile: "lb.yaml", MappingHash: "h1"},
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}

// deliverAll claims and finishes every operation as done, contacts first.
func (e *env) deliverAll() {
	e.t.Helper()
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		for ops := e.claim(e.Store, kind, 100); len(ops) > 0; ops = e.claim(e.Store, kind, 100) {
			for i := range ops {
				ops[i].State, ops[i].CRMID = syncd.OpDone, "crm-"+ops[i].Key
			}
			if err := e.Store.FinishOps(e.ctx, ops); err != nil {
				e.t.Fatal(err)
			}
		}
	}
}

// found is what PersonData found, as comparable ids and counts.
func found(t *testing.T, pd syncd.PersonData) (events []int64, quarantined, ops, links, intents int) {
	t.Helper()
	for _, ev := range pd.Events {
		events = append(events, ev.ID)
	}
	for _, op := range pd.Ops {
		if !slices.Contains(events, op.EventID) {
			t.Errorf("operation %d of event %d, which is not in the export", op.ID, op.EventID)
		}
	}
	return events, len(pd.Quarantined), len(pd.Ops), len(pd.Links), len(pd.Intents)
}

// testPersonData: export finds one person's events (by body, and by their
// operations' keys), quarantined bodies, operations, links and create
// intents, and nobody else's; by phone once the event bodies are purged,
// through the operations that still name them.
func testPersonData(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	a := e.personLead(in, "a", jane, false)
	e.personLead(in, "b", bob, false)
	// found by its deal's contact key only (its contact operation is A's again)
	c := e.personLead(in, "c", jane, true)
	e.deliverAll()
	for _, p := range []person{jane, bob} {
		in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q-" + p.email,
			Body: []byte(`{"email":"` + p.email + `",`), Quarantine: true, Reason: "invalid JSON"})
	}
	e.Store.SetIntent(e.ctx, "pipedrive", syncd.RecordContact, jane.email, e.now())
	byEmail := syncd.Subject{ID: jane.email, Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: jane.email}}, Patterns: []string{jane.email}}

	pd, err := e.Store.PersonData(e.ctx, byEmail)
	if err != nil {
		t.Fatal(err)
	}
	evs, q, ops, links, intents := found(t, pd)
	if !slices.Equal(evs, []int64{a, c}) || q != 1 || ops != 3 || links != 3 || intents != 1 {
		t.Fatalf("by email: events %v, %d quarantined, %d ops, %d links, %d intents; want [%d %d], 1, 3, 3, 1",
			evs, q, ops, links, intents, a, c)
	}
	if string(pd.Quarantined[0].Body) != `{"email":"jane@example.com",` || len(pd.Events[0].Body) == 0 {
		t.Fatalf("bodies not exported: %+v", pd)
	}

	e.advance(40 * day)
	if _, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 30 * day, Outbox: 90 * day}); err != nil {
		t.Fatal(err)
	}
	byPhone := syncd.Subject{ID: "+4520123456", Keys: []syncd.Key{{Kind: syncd.KeyPhone, Value: "+4520123456"}}, Patterns: []string{"+4520123456"},
		Phones: []string{"20123456", "4520123456", "004520123456"}}
	pd, err = e.Store.PersonData(e.ctx, byPhone)
	if err != nil {
		t.Fatal(err)
	}
	evs, q, ops, links, intents = found(t, pd)
	if !slices.Equal(evs, []int64{a, c}) || q != 0 || ops != 3 || links != 3 || intents != 1 {
		t.Fatalf("by phone after the purge: events %v, %d quarantined, %d ops, %d links, %d intents; want [%d %d], 0, 3, 3, 1",
			evs, q, ops, links, intents, a, c)
	}
	nobody := syncd.Subject{ID: "x@example.net", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "x@example.net"}}, Patterns: []string{"x@example.net"}}
	if pd, err := e.Store.PersonData(e.ctx, nobody); err != nil || len(pd.Events)+len(pd.Quarantined)+len(pd.Ops)+len(pd.Links)+len(pd.Intents) > 0 {
		t.Fatalf("someone unknown: %+v, %v", pd, err)
	}
}
