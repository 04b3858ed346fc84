package storetest

import (
	"testing"
	"time"
)

// testErasuresAtFindsAnErasureByItsTime: the audit keeps one hash an
// erasure (the email's, when erase was given an email and a phone), so an
// export by the phone alone finds the erasure by the time the erasure log
// records it at (Audited, else At): ErasuresAt gives that entry, with its
// counts, and none for another time.
func testErasuresAtFindsAnErasureByItsTime(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	e.personLead(in, "a", jane, false)
	e.personLead(in, "b", bob, false)
	er, err := e.erase(subjectOf(jane), "")
	if err != nil || er.Events != 1 {
		t.Fatalf("erase: %+v, %v", er, err)
	}
	at := er.At
	if !er.Audited.IsZero() {
		at = er.Audited
	}
	got, err := e.Store.ErasuresAt(e.ctx, []time.Time{at, at.Add(time.Hour)})
	if err != nil || len(got) != 1 || got[0].SubjectHash != er.SubjectHash || got[0].Events != 1 {
		t.Fatalf("ErasuresAt its time: %+v, %v; want the erasure %+v", got, err, er)
	}
	if got, err := e.Store.ErasuresAt(e.ctx, []time.Time{at.Add(-time.Second)}); err != nil || len(got) != 0 {
		t.Fatalf("ErasuresAt another time: %+v, %v; want none", got, err)
	}
	if got, err := e.Store.ErasuresAt(e.ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("ErasuresAt no time: %+v, %v", got, err)
	}
}
