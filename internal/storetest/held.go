package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testHeldSaysWhatThePurgeLeft: after a purge, HeldSince gives the oldest
// personal data kept of each kind, which is what shows an authority that
// nothing older than the retention is left: a lead sent long ago is gone;
// one still waiting for the CRM keeps its body past retention.event_days,
// counted as waiting, with its pending operations; links are kept for
// ever by default; each kind dropped reads as none.
func testHeldSaysWhatThePurgeLeft(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, 120*day)
	start := e.now()
	e.mapped(in, 1)
	e.delivered(1) // sent: its contact's and deal's links recorded
	waiting := e.mapped(in, 2)
	r := syncd.Retention{Intents: 10 * day, Outbox: 30 * day, Quarantine: 40 * day, Events: 50 * day}
	h, err := e.Store.HeldSince(e.ctx, e.now().Add(-r.Events))
	if err != nil {
		t.Fatal(err)
	}
	near := func(at time.Time) bool {
		return !at.Before(start.Add(-time.Minute)) && !at.After(start.Add(time.Minute))
	}
	if !near(h.Event) || h.EventWaiting != 0 || !near(h.Op) || !near(h.Pending) || !near(h.Link) ||
		!h.Quarantined.IsZero() || !h.Intent.IsZero() || !h.ErasureID.IsZero() {
		t.Fatalf("held at the start (%v): %+v; want the events, operations and links of now, nothing else", start, h)
	}
	e.advance(51 * day)
	if _, err := e.Store.Purge(e.ctx, r); err != nil {
		t.Fatal(err)
	}
	if !e.held(waiting) {
		t.Fatal("the waiting lead's body was purged")
	}
	h, err = e.Store.HeldSince(e.ctx, e.now().Add(-r.Events))
	if err != nil {
		t.Fatal(err)
	}
	if !near(h.Event) || h.EventWaiting != 1 || !h.Op.IsZero() || !near(h.Pending) || !near(h.Link) {
		t.Fatalf("held after 51 days' purge: %+v; want the waiting lead's body (1 waiting) and pending operations, "+
			"the links (kept for ever), no finished operation", h)
	}
}
