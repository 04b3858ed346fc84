package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testUnmappableWaitsUntilDealtWith: an unmappable lead waits for a person
// (EventFilter.Unattended) whatever its age, until an operator records it
// dealt with (DealtWith: entered in the CRM by hand, or no lead) or a
// replay maps it; recording it again changes nothing, and an event that is
// no unmappable lead, or an erased one, is refused. syncd status could
// look only at the leads received since the start of yesterday (no index
// on the mapping state), and nothing recorded a lead dealt with by hand.
func testUnmappableWaitsUntilDealtWith(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	d := e.storeAttentionDay(in)
	b, j := d.unmappable[bob], d.unmappable[jane]
	waiting := func(want ...int64) {
		t.Helper()
		n, err := e.Store.CountEvents(e.ctx, syncd.EventFilter{Unattended: true})
		evs, lerr := e.Store.Events(e.ctx, syncd.EventFilter{Unattended: true, Newest: true, Limit: 5})
		var got []int64
		for _, ev := range evs {
			got = append(got, ev.ID)
		}
		if err != nil || lerr != nil || n != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("unmappable leads waiting: %d, %v (%v, %v); want %v, newest first", n, got, err, lerr, want)
		}
	}
	e.advance(30 * 24 * time.Hour) // a month later: they still wait
	waiting(j, b)
	before, err := e.Store.DealtWith(e.ctx, b)
	if err != nil || before.ID != b || !before.DealtAt.IsZero() || before.MapState != syncd.MapUnmappable {
		t.Fatalf("deal with %d = %+v, %v; want the lead as it was, not dealt with", b, before, err)
	}
	got, err := e.Store.Event(e.ctx, b)
	if err != nil || !got.DealtAt.Equal(e.now()) || got.MapState != syncd.MapUnmappable {
		t.Fatalf("lead dealt with = %v %s, %v; want dealt with now (%v), still unmappable", got.DealtAt, got.MapState, err, e.now())
	}
	waiting(j)
	e.advance(time.Minute)
	if again, err := e.Store.DealtWith(e.ctx, b); err != nil || !again.DealtAt.Equal(got.DealtAt) {
		t.Fatalf("deal with %d again = %v, %v; want it left dealt with at %v", b, again.DealtAt, err, got.DealtAt)
	}
	// A replay that maps the other after a fix of the mapping ends its wait.
	if _, err := e.Store.RecordMapping(e.ctx, j, syncd.MapMapped, "", nil); err != nil {
		t.Fatal(err)
	}
	waiting()
	if _, err := e.Store.DealtWith(e.ctx, j); syncd.ErrorCode(err) != syncd.EInvalid {
		t.Fatalf("deal with a mapped lead: %v; want %s", err, syncd.EInvalid)
	}
	if _, err := e.Store.DealtWith(e.ctx, d.quarantined[bob]+1000); syncd.ErrorCode(err) != syncd.ENotFound {
		t.Fatalf("deal with no event: %v; want %s", err, syncd.ENotFound)
	}
}
