package storetest

import (
	"reflect"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testWaitsForEach: WaitsForEach, which `syncd outbox list` asks once a
// page, answers for each operation what WaitsFor answers for it alone: a
// deal behind its contact, a newer operation behind an older one on the
// same record (leased or not), none for one that waits for nothing.
func testWaitsForEach(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	ev := e.mapped(in, 1)
	newer := lead(ev, 1)[:1] // the same contact again, another value: after the first
	newer[0].Properties["firstname"] = "Renamed"
	if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", newer); err != nil || n != 1 {
		t.Fatalf("newer op: %d, %v", n, err)
	}
	agree := func(when string, wantWaiting int) {
		t.Helper()
		ops, err := e.Store.ListOps(e.ctx, syncd.OpFilter{State: syncd.OpPending, Newest: true})
		if err != nil {
			t.Fatal(err)
		}
		each, err := e.Store.WaitsForEach(e.ctx, ops)
		if err != nil {
			t.Fatalf("%s: waits for each: %v", when, err)
		}
		waiting := 0
		for _, op := range ops {
			w, ok, err := e.Store.WaitsFor(e.ctx, op)
			if err != nil {
				t.Fatalf("%s: waits for %d: %v", when, op.ID, err)
			}
			got, gotOK := each[op.ID]
			if gotOK != ok || !reflect.DeepEqual(got, w) {
				t.Errorf("%s: operation %d (%s) waits for %d (%v) asked with the page, %d (%v) alone",
					when, op.ID, op.Kind, got.ID, gotOK, w.ID, ok)
			}
			if ok {
				waiting++
			}
		}
		if waiting != wantWaiting || len(each) != wantWaiting {
			t.Errorf("%s: %d operations wait alone, %d with the page; want %d", when, waiting, len(each), wantWaiting)
		}
	}
	agree("contact, deal, newer contact", 2)
	claimed := e.claim(e.Store, syncd.RecordContact, 10) // both contacts, the newer with the older, leased: still waited for
	if len(claimed) != 2 {
		t.Fatalf("claimed %+v", claimed)
	}
	agree("the first contact leased", 2)
	claimed[0].State, claimed[0].CRMID = syncd.OpDone, "c-1" // the second handed back, due at once
	if err := e.Store.FinishOps(e.ctx, claimed); err != nil {
		t.Fatal(err)
	}
	agree("the first contact done", 1)
	if each, err := e.Store.WaitsForEach(e.ctx, nil); err != nil || len(each) != 0 {
		t.Errorf("waits for each of none = %v, %v", each, err)
	}
}
