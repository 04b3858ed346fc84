package storetest

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

const day = 24 * time.Hour

// held reports whether event id still has its body.
func (e *env) held(id int64) bool {
	e.t.Helper()
	ev, err := e.Store.Event(e.ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return len(ev.Body) > 0
}

// delivered claims and finishes lead i's contact and deal as done, which
// records their CRM links.
func (e *env) delivered(i int) {
	e.t.Helper()
	for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
		ops := e.claim(e.Store, kind, 10)
		if len(ops) != 1 {
			e.t.Fatalf("claimed %+v; want lead %d's %s", ops, i, kind)
		}
		ops[0].State, ops[0].CRMID = syncd.OpDone, fmt.Sprintf("%s-%d", kind, i)
		if err := e.Store.FinishOps(e.ctx, ops); err != nil {
			e.t.Fatal(err)
		}
	}
}

// leads counts the report's leads received in [from, to).
func (e *env) leads(from, to time.Time) int {
	e.t.Helper()
	n := 0
	if err := e.Store.EachLead(e.ctx, from, to, "", func(*syncd.LeadRow) error { n++; return nil }); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// testPurge: the retention drops the bodies of events delivered or done
// with, old quarantined bodies, finished operations, links and intents,
// and keeps what is still needed; a purged event is still counted and
// still a duplicate.
func testPurge(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, 120*day)
	from := e.now()
	done := e.mapped(in, 1)
	e.delivered(1)
	ignored := e.event(in, "ignored")
	e.Store.RecordMapping(e.ctx, ignored, syncd.MapIgnored, "", nil)
	unsent := e.mapped(in, 2) // its operations stay pending
	unmapped := e.event(in, "unmapped")
	q, _ := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q1", Body: []byte("{jane"),
		Quarantine: true, Reason: "invalid JSON"})
	e.Store.SetIntent(e.ctx, "pipedrive", syncd.RecordContact, "lead1@example.com", e.now())
	e.advance(80 * day)
	recent := e.event(in, "recent")
	e.Store.RecordMapping(e.ctx, recent, syncd.MapIgnored, "", nil)
	q2, _ := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q2", Body: []byte("{bob"),
		Quarantine: true, Reason: "invalid JSON"})
	to := e.now().Add(time.Second)
	before := e.leads(from, to)

	r := syncd.Retention{Events: 90 * day, Quarantine: 90 * day, Outbox: 90 * day}
	if p, err := e.Store.Purge(e.ctx, r); err != nil || !reflect.DeepEqual(p, syncd.Purge{}) {
		t.Fatalf("purge at 80 days: %+v, %v; want nothing", p, err)
	}
	e.advance(11 * day)
	p, err := e.Store.Purge(e.ctx, r)
	// the day of the purged bodies, whose workbook listed them (the
	// deleted operations were done: on no sheet of their own)
	listed := []time.Time{time.Unix(from.Unix()/900*900, 0).UTC()}
	if want := (syncd.Purge{Events: 2, Quarantined: 1, Ops: 2, Received: listed}); err != nil || !reflect.DeepEqual(p, want) {
		t.Fatalf("purge at 91 days: %+v, %v; want %+v", p, err, want)
	}
	for id, want := range map[int64]bool{done: false, ignored: false, unsent: true, unmapped: true, recent: true} {
		if e.held(id) != want {
			t.Errorf("event %d held %v after the purge, want %v", id, !want, want)
		}
	}
	if b, _ := e.Store.QuarantinedBody(e.ctx, q.ID); len(b.Body) != 0 {
		t.Errorf("old quarantined body kept: %q", b.Body)
	}
	if b, _ := e.Store.QuarantinedBody(e.ctx, q2.ID); string(b.Body) != "{bob" {
		t.Errorf("recent quarantined body = %q", b.Body)
	}
	if ops, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{}); len(ops) != 2 || ops[0].EventID != unsent {
		t.Errorf("operations left: %+v; want the pending two", ops)
	}
	if kept, _ := e.Store.Events(e.ctx, syncd.EventFilter{Kept: true}); len(kept) != 3 {
		t.Errorf("%d events kept with their bodies, want 3", len(kept))
	}
	if n := e.leads(from, to); n != before {
		t.Errorf("%d leads counted after the purge, %d before", n, before)
	}
	if dup, err := in.Store(e.ctx, incoming("lead-key-1")); err != nil || dup.Outcome != syncd.Duplicate || dup.ID != done {
		t.Errorf("a retry of a purged event within the window: %+v, %v; want a duplicate of %d", dup, err, done)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); id == "" {
		t.Error("link purged without a link retention")
	}

	r.Links, r.Intents = 30*day, 30*day
	if p, err := e.Store.Purge(e.ctx, r); err != nil || !reflect.DeepEqual(p, syncd.Purge{Links: 2, Intents: 1}) {
		t.Fatalf("links purge: %+v, %v; want lead 1's 2 links and 1 intent", p, err)
	}
	if id, _ := e.Store.Link(e.ctx, "hubspot", syncd.RecordContact, "lead1@example.com"); id != "" {
		t.Errorf("link kept: %q", id)
	}
}

// testPurgeNamesTheDays: a purge returns the days whose workbooks listed
// what it dropped, so they can be made again without it: the day a
// deleted contact operation's lead was received (its Leads row shows the
// contact's properties when the body is gone) and the day a deleted dead
// operation died (its Needs attention row shows the CRM's error); not the
// day of a done deal operation (its row holds nothing of the person).
func testPurgeNamesTheDays(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, 120*day)
	quarter := func(t time.Time) time.Time { return time.Unix(t.Unix()/900*900, 0).UTC() }
	first := e.now()
	e.mapped(in, 1)
	e.delivered(1)
	e.advance(10 * day)
	second := e.now()
	e.mapped(in, 2)
	e.advance(time.Hour)
	died := e.now()
	ops := e.claim(e.Store, syncd.RecordContact, 10)
	if len(ops) != 1 {
		t.Fatalf("claimed %+v; want lead 2's contact", ops)
	}
	ops[0].State, ops[0].LastError = syncd.OpDead, "crm 400: Email address lead2@example.com is invalid"
	if err := e.Store.FinishOps(e.ctx, ops); err != nil {
		t.Fatal(err)
	}
	e.advance(100 * day)
	p, err := e.Store.Purge(e.ctx, syncd.Retention{Outbox: 90 * day}) // events kept: only the operations go
	want := syncd.Purge{Ops: 3, Received: []time.Time{quarter(first), quarter(second), quarter(died)}}
	if err != nil || !reflect.DeepEqual(p, want) {
		t.Fatalf("purge: %+v, %v; want %+v", p, err, want)
	}
}

// testPurgeBatches: more rows than one batch are all purged, in one run.
func testPurgeBatches(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	const n = 1234
	ms := make([]syncd.Mapping, n)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += 8 {
				rec, err := in.Store(e.ctx, incoming(fmt.Sprint("bulk-", i)))
				if err != nil {
					t.Error(err)
					return
				}
				ms[i] = syncd.Mapping{EventID: rec.ID, State: syncd.MapIgnored}
			}
		}()
	}
	wg.Wait()
	if _, err := e.Store.RecordMappings(e.ctx, ms); err != nil {
		t.Fatal(err)
	}
	e.advance(2 * day)
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: day}); err != nil || p.Events != n {
		t.Fatalf("purged %+v, %v; want %d events", p, err, n)
	}
	if kept, _ := e.Store.CountEvents(e.ctx, syncd.EventFilter{Kept: true}); kept != 0 {
		t.Fatalf("%d events kept", kept)
	}
}

// testPurgeRepairedOldBody: a quarantined body repaired long after it
// arrived becomes an event received back then, which the next purge
// reaches though earlier purges went past that time.
func testPurgeRepairedOldBody(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	q, err := in.Store(e.ctx, syncd.Incoming{Source: "lb", Kind: syncd.KindLokalebasen, Key: "q", Body: []byte("{bad"),
		Quarantine: true, Reason: "invalid JSON"})
	if err != nil {
		t.Fatal(err)
	}
	e.advance(200 * day)
	r := syncd.Retention{Events: 90 * day} // quarantined bodies kept
	other := e.event(in, "other")
	e.Store.RecordMapping(e.ctx, other, syncd.MapIgnored, "", nil)
	e.advance(100 * day)
	if p, err := e.Store.Purge(e.ctx, r); err != nil || p.Events != 1 {
		t.Fatalf("first purge: %+v, %v", p, err)
	}
	fixed := incoming("fixed")
	fixed.Source, fixed.Kind = "", ""
	rec, err := e.Store.RepairQuarantined(e.ctx, q.ID, fixed, window)
	if err != nil {
		t.Fatal(err)
	}
	e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapIgnored, "", nil)
	e.advance(day)
	if p, err := e.Store.Purge(e.ctx, r); err != nil || p.Events != 1 || e.held(rec.ID) {
		t.Fatalf("purge after the repair: %+v, %v; want the repaired event's body", p, err)
	}
}
