package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportLeavesOutTheErased: a report made again after an erasure
// (erase remakes the days it touched) no longer lists the person's leads
// or events: neither a row with its fields gone nor a count of them.
func testReportLeavesOutTheErased(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	e.personLead(in, "a", jane, false)
	kept := e.personLead(in, "b", bob, false)
	e.deliverAll()
	if _, err := e.erase(subjectOf(jane), ""); err != nil {
		t.Fatal(err)
	}
	to := e.now().Add(time.Second)
	var leads, events []int64
	if err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		leads = append(leads, r.EventID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.EachEvent(e.ctx, from, to, "lokalebasen", syncd.TypeEnquiryCreated, func(r *syncd.EventRow) error {
		events = append(events, r.EventID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprint([]int64{kept}); fmt.Sprint(leads) != want || fmt.Sprint(events) != want {
		t.Fatalf("after erasing jane: leads %v, events %v; want bob's only, %s", leads, events, want)
	}
}

// testReportCountsTheErasedLeads: a day's report made again after an
// erasure says how many of its leads were erased, a count the store
// keeps (received time and erased_at), of leads only, in the range.
func testReportCountsTheErasedLeads(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	e.personLead(in, "a", jane, false)
	e.advance(time.Minute)
	e.personLead(in, "c", jane, false)
	e.personLead(in, "b", bob, false)
	to := e.now().Add(time.Second)
	if n, err := e.Store.ErasedLeads(e.ctx, from, to); err != nil || n != 0 {
		t.Fatalf("erased leads before the erasure: %d, %v; want 0", n, err)
	}
	e.deliverAll()
	e.advance(time.Hour)
	if _, err := e.erase(subjectOf(jane), ""); err != nil {
		t.Fatal(err)
	}
	if n, err := e.Store.ErasedLeads(e.ctx, from, to); err != nil || n != 2 {
		t.Errorf("erased leads of the range: %d, %v; want jane's 2", n, err)
	}
	if n, err := e.Store.ErasedLeads(e.ctx, from.Add(30*time.Second), to); err != nil || n != 1 {
		t.Errorf("erased leads of the range's second half: %d, %v; want 1", n, err)
	}
	if n, err := e.Store.ErasedLeads(e.ctx, to, e.now().Add(time.Second)); err != nil || n != 0 {
		t.Errorf("erased leads after the range (the erasure's own row is no lead): %d, %v; want 0", n, err)
	}
}
