package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testDropUnsentOps: the operations left for a CRM no longer configured
// that never reached it (pending, dead) are dropped and their events named,
// those given up by hand counted apart;
// those a syncer holds, those done, another CRM's and, unless asked for,
// erasures are left.
func testDropUnsentOps(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.mapped(in, 1)
	ev2, ev3 := e.mapped(in, 2), e.mapped(in, 3)
	ev4 := e.event(in, "pipedrive-lead")
	pd := lead(ev4, 4)
	for i := range pd {
		pd[i].Target = "pipedrive"
	}
	if n, err := e.Store.RecordMapping(e.ctx, ev4, syncd.MapMapped, "", pd); err != nil || n != 2 {
		t.Fatalf("record pipedrive mapping: %d, %v", n, err)
	}
	c := e.claim(e.Store, syncd.RecordContact, 2) // leads 1 and 2
	c[0].State, c[0].CRMID = syncd.OpDone, "c-1"
	c[1].State, c[1].LastError = syncd.OpDead, "VALIDATION_ERROR"
	if err := e.Store.FinishOps(e.ctx, c); err != nil {
		t.Fatal(err)
	}
	held := e.claim(e.Store, syncd.RecordContact, 1) // lead 3's, being sent
	if len(held) != 1 {
		t.Fatalf("claimed %d contacts, want lead 3's", len(held))
	}
	p := person{email: "lead1@example.com"}
	if er, err := e.erase(subjectOf(p), "hubspot"); err != nil || er.CRMOps != 1 {
		t.Fatalf("erase lead 1: %+v, %v; want 1 CRM erase operation", er, err)
	}

	deals, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Target: "hubspot", Kind: syncd.RecordDeal, State: syncd.OpPending, Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range deals { // lead 3's deal, given up by hand: counted apart from the dead letters
		if op.EventID == ev3 {
			if _, err := e.Store.GiveUpOp(e.ctx, op.ID, "hubspot", "entered by hand"); err != nil {
				t.Fatal(err)
			}
		}
	}

	d, err := e.Store.DropUnsentOps(e.ctx, "hubspot", false)
	want := syncd.DroppedOps{Pending: 1, Dead: 2, GivenUp: 1, Held: 1, ErasuresLeft: 1, Events: []int64{ev2, ev3}}
	if err != nil || fmt.Sprint(d) != fmt.Sprint(want) {
		t.Fatalf("drop = %+v, %v; want %+v", d, err, want)
	}
	left := map[string]int{}
	ops, _ := e.Store.ListOps(e.ctx, syncd.OpFilter{Limit: -1})
	for _, op := range ops {
		left[fmt.Sprint(op.Target, " ", op.Kind, " ", op.State)]++
	}
	wantLeft := map[string]int{"hubspot contact pending": 1, "hubspot erase pending": 1,
		"pipedrive contact pending": 1, "pipedrive deal pending": 1}
	if fmt.Sprint(left) != fmt.Sprint(wantLeft) {
		t.Fatalf("left %v; want %v", left, wantLeft)
	}

	d, err = e.Store.DropUnsentOps(e.ctx, "hubspot", true)
	if want := (syncd.DroppedOps{Erasures: 1, Held: 1}); err != nil || fmt.Sprint(d) != fmt.Sprint(want) {
		t.Fatalf("drop with erasures = %+v, %v; want %+v", d, err, want)
	}
}

// testLeadsOnlyFor: the leads the dry run did that no replay mapped for
// the CRM configured since are counted, with the first one's event; those
// it has not done yet (status names them apart) and those mapped for the
// CRM are not. Those whose bodies the retention purged, which no replay
// can send, are counted apart, with the last one's event.
func testLeadsOnlyFor(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	dry := func(i int) int64 {
		ev := e.event(in, fmt.Sprint("dry-lead-", i))
		ops := lead(ev, i)
		for j := range ops {
			ops[j].Target = "dryrun"
		}
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops); err != nil || n != 2 {
			t.Fatalf("record dry run mapping: %d, %v", n, err)
		}
		return ev
	}
	done := func(n int) { // the dry run answers the n leads pending for it done
		for _, kind := range []syncd.RecordKind{syncd.RecordContact, syncd.RecordDeal} {
			ops, err := e.Store.FinishAndClaimOps(e.ctx, nil, "dryrun", kind, 10, time.Minute)
			if err != nil || len(ops) != n {
				t.Fatalf("claim the dry run's %s ops: %d, %v; want %d", kind, len(ops), err, n)
			}
			for i := range ops {
				ops[i].State, ops[i].CRMID = syncd.OpDone, "dry-"+ops[i].Key
			}
			if err := e.Store.FinishOps(e.ctx, ops); err != nil {
				t.Fatal(err)
			}
		}
	}
	only := func(when string, target, other string, want syncd.OnlyFor) {
		t.Helper()
		if got, err := e.Store.LeadsOnlyFor(e.ctx, target, other); err != nil || got != want {
			t.Fatalf("%s: leads only for %s = %+v, %v; want %+v", when, target, got, err, want)
		}
	}
	ev1, ev2 := dry(1), dry(2)
	done(2)
	only("two done", "dryrun", "hubspot", syncd.OnlyFor{Held: 2, First: ev1})
	if n, err := e.Store.RecordMapping(e.ctx, ev1, syncd.MapMapped, "", lead(ev1, 1)); err != nil || n != 2 {
		t.Fatalf("replay lead 1 for hubspot: %d, %v", n, err)
	}
	only("after lead 1's replay", "dryrun", "hubspot", syncd.OnlyFor{Held: 1, First: ev2})

	e.advance(100 * day)
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 90 * day}); err != nil || p.Events != 1 {
		t.Fatalf("purge: %+v, %v; want lead 2's body (lead 1's waits for hubspot)", p, err)
	}
	ev4 := dry(4)
	done(1)
	dry(3) // not done yet
	only("lead 2 purged", "dryrun", "hubspot", syncd.OnlyFor{Held: 1, First: ev4, Purged: 1, LastPurged: ev2})
	only("the dry run configured", "dryrun", "dryrun", syncd.OnlyFor{})
}
