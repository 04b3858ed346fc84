package storetest

import (
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testLinksSayWhenRecorded: the links PersonData and Erase return carry
// when each was recorded (the operation that made it finished), not when
// read: erase and export tell of a HubSpot contact linked before the
// retention dropped the operations that named its deals by it.
func testLinksSayWhenRecorded(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.deliverAll()
	recorded := e.now()
	e.advance(40 * 24 * time.Hour)
	check := func(what string, links []syncd.Link) {
		t.Helper()
		if len(links) == 0 {
			t.Fatalf("%s: no links", what)
		}
		for _, l := range links {
			if d := l.RecordedAt.Sub(recorded).Abs(); l.RecordedAt.IsZero() || d > time.Minute {
				t.Errorf("%s: link %s %s recorded at %v; want %v", what, l.Kind, l.Key, l.RecordedAt, recorded)
			}
		}
	}
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	check("PersonData", pd.Links)
	er, err := e.Store.Erase(e.ctx, subjectOf(jane), pd, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	check("Erase", er.CRMLinks)
}
