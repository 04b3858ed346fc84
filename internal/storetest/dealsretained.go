package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testDealsOfPurgedLeadsAreThePersons: once the retention has deleted a
// lead's operations and emptied its body, its deal's CRM link still names
// the contact it was made for, so the person's data (export) and their
// erasure hold that deal's CRM id, for the CRM erase to delete, and the
// erasure removes its link; another person's deal is not theirs.
func testDealsOfPurgedLeadsAreThePersons(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "old", jane, false)
	e.personLead(in, "other", bob, false)
	e.deliverAll()
	const day = 24 * time.Hour
	e.advance(100 * day)
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 90 * day, Outbox: 90 * day}); err != nil || p.Ops != 4 {
		t.Fatalf("purge: %+v, %v; want the 4 operations deleted", p, err)
	}
	e.personLead(in, "new", jane, false)
	e.deliverAll()

	deals := func(links []syncd.Link) []string {
		var out []string
		for _, l := range links {
			if l.Kind == syncd.RecordDeal {
				out = append(out, l.CRMID)
			}
		}
		slices.Sort(out)
		return out
	}
	want := []string{"crm-deal-new", "crm-deal-old"}
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	if got := deals(pd.Links); !slices.Equal(got, want) {
		t.Errorf("PersonData deals %v; want %v (the purged lead's deal too, not the other person's)", got, want)
	}
	er, err := e.Store.Erase(e.ctx, subjectOf(jane), pd, "hubspot")
	if err != nil {
		t.Fatal(err)
	}
	if got := deals(er.CRMLinks); !slices.Equal(got, want) {
		t.Errorf("Erase deals %v; want %v", got, want)
	}
	after, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	if got := deals(after.Links); len(got) != 0 {
		t.Errorf("after the erase, deal links %v still held", got)
	}
	other, err := e.Store.PersonData(e.ctx, subjectOf(bob))
	if err != nil {
		t.Fatal(err)
	}
	if got := deals(other.Links); !slices.Equal(got, []string{"crm-deal-other"}) {
		t.Errorf("the other person's deals %v; want [crm-deal-other]", got)
	}
}
