package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testContactChangedBackIsSentAgain: a client's company was "Bakers Inc."
// on their first lead, "Baker & Sons ApS" on the second and "Bakers Inc."
// again on the third. The third lead's contact operation was the first's
// (the outbox enqueued a record's properties once, ever), so it was
// skipped and the CRM kept "Baker & Sons ApS", the second lead's, where
// the newest lead says otherwise. A record's properties are now enqueued
// again when other properties were enqueued for it since; not when they
// are the newest enqueued (a returning client who wrote the same), and
// mapping a lead again (a replay, whatever the leads after it) enqueues
// nothing it enqueued before.
func testContactChangedBackIsSentAgain(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	contact := func(ev int64, company string) []syncd.Op {
		return []syncd.Op{{EventID: ev, Target: "hubspot", Kind: syncd.RecordContact, Key: "angela@example.com",
			KeyKind: syncd.KeyEmail, Properties: map[string]string{"email": "angela@example.com", "company": company},
			MappingFile: "lb.yaml", MappingHash: "h1"}}
	}
	record := func(ev int64, company string, want int) {
		t.Helper()
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", contact(ev, company)); err != nil || n != want {
			t.Fatalf("record mapping of event %d (%s): %d ops, %v; want %d", ev, company, n, err, want)
		}
		e.advance(time.Second)
	}
	enqueued := func(ev int64, company string, want bool) {
		t.Helper()
		known, err := e.Store.OpsEnqueued(e.ctx, contact(ev, company))
		if err != nil || len(known) != 1 || known[0] != want {
			t.Fatalf("ops enqueued of event %d (%s) = %v, %v; want [%v]", ev, company, known, err, want)
		}
	}
	first, second, third, fourth := e.event(in, "cb1"), e.event(in, "cb2"), e.event(in, "cb3"), e.event(in, "cb4")
	record(first, "Bakers Inc.", 1)
	c := e.claim(e.Store, syncd.RecordContact, 1)
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	record(second, "Baker & Sons ApS", 1)
	enqueued(third, "Bakers Inc.", false)
	record(third, "Bakers Inc.", 1) // back to the first's: sent again, after the second's
	enqueued(fourth, "Bakers Inc.", true)
	record(fourth, "Bakers Inc.", 0) // the newest enqueued already

	// Mapped again, in order (a replay with the mappings unchanged): nothing new.
	for _, r := range []struct {
		ev      int64
		company string
	}{{first, "Bakers Inc."}, {second, "Baker & Sons ApS"}, {third, "Bakers Inc."}, {fourth, "Bakers Inc."}} {
		enqueued(r.ev, r.company, true)
		record(r.ev, r.company, 0)
	}

	ops, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Kind: syncd.RecordContact, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, op := range ops {
		got = append(got, fmt.Sprintf("%d %s %s", op.EventID, op.State, op.Properties["company"]))
	}
	want := []string{
		fmt.Sprintf("%d done Bakers Inc.", first),
		fmt.Sprintf("%d pending Baker & Sons ApS", second),
		fmt.Sprintf("%d pending Bakers Inc.", third),
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("contact operations =\n%q\nwant\n%q", got, want)
	}
	// The claim takes them together, in order: the second's, then the
	// third's, which the syncer merges (the third's company wins).
	c = e.claim(e.Store, syncd.RecordContact, 10)
	if len(c) != 2 || c[0].Properties["company"] != "Baker & Sons ApS" || c[1].Properties["company"] != "Bakers Inc." {
		t.Fatalf("claimed %+v; want the one of Baker & Sons ApS, then the one of Bakers Inc.", c)
	}
}
