package storetest

import (
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testPendingPages: the pending operations listed a page at a time, from
// the last id listed on (newest or oldest first, of every target and
// kind, of one target, or of one kind), are the pending ones in id order,
// each once, whatever targets and kinds they are of, with the done ones
// between them left out.
func testPendingPages(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	for i := range 6 {
		ev := e.event(in, fmt.Sprint("pages-", i))
		ops := lead(ev, i)
		if i%2 == 1 {
			ops = append(ops, lead(ev, i)...)
			ops[2].Target, ops[3].Target = "pipedrive", "pipedrive"
		}
		if n, err := e.Store.RecordMapping(e.ctx, ev, syncd.MapMapped, "", ops); err != nil || n != len(ops) {
			t.Fatalf("record mapping: %d, %v", n, err)
		}
		if i%3 == 2 { // some done between the pending ones
			contacts := e.claim(e.Store, syncd.RecordContact, 1)
			for j := range contacts {
				contacts[j].State, contacts[j].CRMID = syncd.OpDone, "c"
			}
			if err := e.Store.FinishOps(e.ctx, contacts); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := e.Store.ListOps(e.ctx, syncd.OpFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []syncd.OpFilter{
		{State: syncd.OpPending, Newest: true},
		{State: syncd.OpPending},
		{State: syncd.OpPending, Target: "hubspot", Newest: true},
		{State: syncd.OpPending, Kind: syncd.RecordDeal, Newest: true},
		{State: syncd.OpPending, Kind: syncd.RecordContact},
	} {
		var want, got []int64
		for _, op := range all {
			if op.State == syncd.OpPending && (f.Target == "" || op.Target == f.Target) && (f.Kind == "" || op.Kind == f.Kind) {
				want = append(want, op.ID)
			}
		}
		if f.Newest {
			for i, j := 0, len(want)-1; i < j; i, j = i+1, j-1 {
				want[i], want[j] = want[j], want[i]
			}
		}
		page := f
		page.Limit = 3
		for {
			ops, err := e.Store.ListOps(e.ctx, page)
			if err != nil {
				t.Fatalf("%+v: %v", page, err)
			}
			if len(ops) == 0 {
				break
			}
			for _, op := range ops {
				got = append(got, op.ID)
			}
			if last := ops[len(ops)-1].ID; f.Newest {
				page.BeforeID = last
			} else {
				page.AfterID = last
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || len(want) < 4 {
			t.Errorf("%+v in pages of 3: %v; want %v", f, got, want)
		}
	}
}
