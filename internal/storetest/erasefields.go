package storetest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testEraseFindsThePersonInTheSendersFields: an event's type and
// idempotency key are the sender's fields (eaf_type or event_type; a
// lead's eaf_id in "eaf:ID"), kept past its body, so a sender's address
// put there stayed: erase left it, and once the body was gone (purged,
// or erased before), neither export nor erase found the person there.
// PersonData finds the events whose type or key names the person,
// whatever became of their bodies, and Erase keeps neither there, nor any
// type or id that is not plain, of another person's event too; a plain
// type and id stay.
func testEraseFindsThePersonInTheSendersFields(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	store := func(inc syncd.Incoming) int64 { return e.storeIgnored(in, inc) }
	// Bob's lead, its sender's id Jane's address; an event of Bob's whose
	// type is her address; a plain lead of Bob's: all purged since, by a
	// syncd that kept their types and keys (the purge now drops such).
	byID := store(eafIncoming(jane.email, fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":%q,"contact_email":%q}`, jane.email, bob.email)))
	typed := eafIncoming("", fmt.Sprintf(`{"eaf_type":%q,"eaf_id":"7","contact_email":%q}`, jane.email, bob.email))
	typed.Type, typed.Key = jane.email, "sha256:0a1b"
	byType := store(typed)
	plain := store(eafIncoming("9", fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"9","contact_email":%q}`, bob.email)))
	e.advance(100 * day)
	for _, id := range []int64{byID, byType, plain} {
		e.PurgedKeepingFields(id)
	}
	// Her own lead, its type her name and address; Bob's, its id his name.
	hers := eafIncoming("", fmt.Sprintf(`{"eaf_type":%q,"eaf_id":"8","contact_email":%q}`, "Jane <"+jane.email+">", jane.email))
	hers.Type, hers.Key = "Jane <"+jane.email+">", "sha256:0c2d"
	herOwn := store(hers)
	his := store(eafIncoming("Bob Keeper", fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"Bob Keeper","contact_email":%q}`, bob.email)))
	pd, err := e.Store.PersonData(e.ctx, subjectOf(jane))
	if err != nil {
		t.Fatal(err)
	}
	found := map[int64]syncd.Event{}
	for _, ev := range pd.Events {
		found[ev.ID] = ev
	}
	if len(found) != 3 || found[byID].Key != "eaf:"+jane.email || found[byType].Type != jane.email || found[herOwn].ID == 0 {
		t.Fatalf("person data of Jane: events %v; want %d (its key), %d (its type) and %d", slices.Collect(maps.Keys(found)), byID, byType, herOwn)
	}
	er, err := e.Store.Erase(e.ctx, subjectOf(jane), pd, "")
	if err != nil || er.Events != 3 {
		t.Fatalf("erase of Jane: %+v, %v; want the 3 events", er, err)
	}
	for _, id := range []int64{byID, byType, herOwn} {
		ev, err := e.Store.Event(e.ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(ev.Type, "jane") || strings.Contains(ev.Key, "jane") || len(ev.Body) > 0 {
			t.Errorf("event %d after her erasure: type %q, key %q, body %q", id, ev.Type, ev.Key, ev.Body)
		}
	}
	if pd, err := e.Store.PersonData(e.ctx, subjectOf(jane)); err != nil || len(pd.Events) != 0 {
		t.Errorf("person data of Jane once erased: %d events, %v; want none", len(pd.Events), err)
	}
	if _, err := e.erase(subjectOf(bob), ""); err != nil {
		t.Fatal(err)
	}
	// His lead sent again within the duplicate window is a duplicate of
	// his erased event, not his lead stored (and sent to the CRM) again.
	again, err := in.Store(e.ctx, eafIncoming("Bob Keeper", fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":"Bob Keeper","contact_email":%q}`, bob.email)))
	if err != nil || again.Outcome != syncd.Duplicate || again.ID != his {
		t.Errorf("his lead sent again after his erasure: %+v, %v; want a duplicate of %d", again, err, his)
	}
	for id, want := range map[int64]string{plain: "eaf:9", his: ""} {
		ev, err := e.Store.Event(e.ctx, id)
		if err != nil || ev.Type != syncd.TypeEmailLead || want != "" && ev.Key != want || strings.Contains(ev.Key, "Bob") {
			t.Errorf("Bob's lead %d once he is erased: type %q, key %q, %v; want email_lead and key %q", id, ev.Type, ev.Key, err, cmp.Or(want, "without his name"))
		}
	}
}

// testPurgeDropsTheSendersFieldsThatAreNotPlain: the retention purge
// emptied an event's body and kept its type and idempotency key for good,
// so an address or a name a sender put there (eaf_type, eaf_id) outlived
// the retention. A purged event keeps a plain type and a plain id (as an
// erasure does); any other becomes "" and "purged:ID".
func testPurgeDropsTheSendersFieldsThatAreNotPlain(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	store := func(inc syncd.Incoming) int64 { return e.storeIgnored(in, inc) }
	byID := store(eafIncoming(jane.email, fmt.Sprintf(`{"eaf_type":"email_lead","eaf_id":%q}`, jane.email)))
	named := store(eafIncoming("Jane Doe", `{"eaf_type":"email_lead","eaf_id":"Jane Doe"}`))
	typed := eafIncoming("", fmt.Sprintf(`{"eaf_type":%q,"eaf_id":"7"}`, jane.email))
	typed.Type, typed.Key = jane.email, "sha256:0a1b"
	byType := store(typed)
	plain := store(eafIncoming("9", `{"eaf_type":"email_lead","eaf_id":"9"}`))
	hashed := eafIncoming("", `{"eaf_type":"email_lead"}`)
	hashed.Key = "sha256:0c2d"
	byHash := store(hashed)
	e.advance(100 * day)
	if p, err := e.Store.Purge(e.ctx, syncd.Retention{Events: 90 * day}); err != nil || p.Events != 5 {
		t.Fatalf("purge: %+v, %v; want the 5 events' bodies", p, err)
	}
	for id, want := range map[int64][2]string{
		byID:   {syncd.TypeEmailLead, fmt.Sprintf("purged:%d", byID)},
		named:  {syncd.TypeEmailLead, fmt.Sprintf("purged:%d", named)},
		byType: {"", "sha256:0a1b"},
		plain:  {syncd.TypeEmailLead, "eaf:9"},
		byHash: {syncd.TypeEmailLead, "sha256:0c2d"},
	} {
		ev, err := e.Store.Event(e.ctx, id)
		if err != nil || ev.Type != want[0] || ev.Key != want[1] {
			t.Errorf("event %d once purged: type %q, key %q, %v; want %q, %q", id, ev.Type, ev.Key, err, want[0], want[1])
		}
	}
}

// storeIgnored stores inc, a new event, through in and records it as
// mapped to nothing (ignored), so that a purge may empty its body.
func (e *env) storeIgnored(in Intake, inc syncd.Incoming) int64 {
	e.t.Helper()
	rec, err := in.Store(e.ctx, inc)
	if err != nil || rec.Outcome != syncd.Accepted {
		e.t.Fatalf("store %s: %+v, %v", inc.Key, rec, err)
	}
	if _, err := e.Store.RecordMapping(e.ctx, rec.ID, syncd.MapIgnored, "", nil); err != nil {
		e.t.Fatal(err)
	}
	return rec.ID
}
