package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testPurgeDropsOldErasuresIdentifiers: the audit of an erasure names its
// person by a hash keyed with a salt kept beside it, which anyone holding
// the database can test an email or a phone number against (a phone's
// digits are soon tried): a pseudonym, still personal data, that was kept
// for ever. Past Retention.Erasures the purge drops it (and the part of it
// the CRM erasure's event key carries); the erasure's time and counts stay,
// and an export no longer finds it. Before then it is kept.
func testPurgeDropsOldErasuresIdentifiers(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.personLead(in, "b", bob, false)
	e.deliverAll()
	er, err := e.erase(subjectOf(jane), "hubspot")
	if err != nil || er.CRMOps != 1 {
		t.Fatalf("erase: %+v, %v; want her CRM erasure queued", er, err)
	}
	keep := syncd.Retention{Erasures: 30 * 24 * time.Hour}
	e.advance(29 * 24 * time.Hour)
	if p, err := e.Store.Purge(e.ctx, keep); err != nil || p.Erasures != 0 {
		t.Fatalf("purge within the retention: %+v, %v; want no erasure's identifiers dropped", p, err)
	}
	if pd, _ := e.Store.PersonData(e.ctx, subjectOf(jane)); len(pd.Erasures) != 1 {
		t.Fatalf("erasures of her within the retention: %+v; want hers", pd.Erasures)
	}
	e.advance(2 * 24 * time.Hour)
	later, err := e.erase(subjectOf(bob), "") // within the retention when purged: kept
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Store.Purge(e.ctx, keep)
	if err != nil || p.Erasures != 1 {
		t.Fatalf("purge past the retention: %+v, %v; want 1 erasure's identifiers dropped", p, err)
	}
	if pd, _ := e.Store.PersonData(e.ctx, subjectOf(jane)); len(pd.Erasures) != 0 {
		t.Errorf("erasures of her past the retention: %+v; want none found", pd.Erasures)
	}
	if pd, _ := e.Store.PersonData(e.ctx, subjectOf(bob)); len(pd.Erasures) != 1 || pd.Erasures[0].SubjectHash != later.SubjectHash {
		t.Errorf("erasures of him, within the retention: %+v; want his", pd.Erasures)
	}
	evs, err := e.Store.Events(e.ctx, syncd.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range evs {
		if strings.Contains(ev.Key, er.SubjectHash[:16]) {
			t.Errorf("event %d keeps her erasure's hash in its key past the retention: %q", ev.ID, ev.Key)
		}
	}
	if p, err := e.Store.Purge(e.ctx, keep); err != nil || p.Erasures != 0 {
		t.Errorf("purge again: %+v, %v; want nothing more dropped", p, err)
	}
}
