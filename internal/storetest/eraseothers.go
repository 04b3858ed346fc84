package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseKeepsOthersLinks: a colleague's lead names the person in its
// message; erased with the person (Subject.Others names the colleague's
// contact), it loses its body and operations, but the colleague's contact
// and deal stay linked: they are not the person's, and without their links
// a later lead of the colleague would not find them. Without Others the
// erase takes every link of the leads found, as before.
func testEraseKeepsOthersLinks(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	a := e.personLead(in, "a", jane, false)
	b := e.namingLead(in, "b", bob, jane)
	e.deliverAll()
	s := subjectOf(jane)
	s.Others = []string{bob.email}
	er, err := e.erase(s, "")
	if err != nil {
		t.Fatal(err)
	}
	if er.Events != 2 || e.held(a) || e.held(b) {
		t.Fatalf("erased %+v; want her lead and his naming her, both without their bodies", er)
	}
	var erased []string
	for _, l := range er.CRMLinks {
		erased = append(erased, l.Key)
	}
	slices.Sort(erased)
	if !slices.Equal(erased, []string{"deal-a", jane.email}) || er.Links != 2 {
		t.Errorf("links erased %v (%d); want her contact's and her deal's", erased, er.Links)
	}
	for kind, key := range map[syncd.RecordKind]string{syncd.RecordContact: bob.email, syncd.RecordDeal: "deal-b"} {
		if id, _ := e.Store.Link(e.ctx, "hubspot", kind, key); id == "" {
			t.Errorf("his %s %s lost its link", kind, key)
		}
	}
}

// namingLead stores a lead of p whose message names other, mapped like
// personLead's.
func (e *env) namingLead(in Intake, key string, p, other person) int64 {
	e.t.Helper()
	inc := incoming(key)
	inc.Body = fmt.Appendf(nil, `{"event_type":"enquiry_created","id":%q,"client":{"name":%q,"email":%q},"comment":"cc %s"}`,
		key, p.name, p.email, other.email)
	rec, err := in.Store(e.ctx, inc)
	if err != nil || rec.Outcome != syncd.Accepted {
		e.t.Fatalf("store %s: %+v, %v", key, rec, err)
	}
	ops := []syncd.Op{
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordContact, Key: p.email, KeyKind: syncd.KeyEmail,
			Properties: map[string]string{"email": p.email}, MappingFile: "lb.yaml", MappingHash: "h1"},
		{EventID: rec.ID, Target: "hubspot", Kind: syncd.RecordDeal, Key: "deal-" + key, ContactKey: p.email,
			Properties: map[string]string{"description": "cc " + other.email}, MappingFile: "lb.yaml", MappingHash: "h1"},
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapMapped, "", ops); err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}
