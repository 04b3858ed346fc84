package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportReadsATypeInAnotherCase: leads an older syncd stored with a
// documented type in another case or with white space around it
// ("Email_Lead", " email_lead\u00a0", "EMAIL_LEAD\t"), keyed by their
// body's hash, are mapped by the mapper (sender.DocumentedType) but were
// missing from the report's Leads sheet, which selected leads by their
// type as stored; those pending were rows of a new event type on Needs
// attention; so a "Portal_Submission" was missing from the portal
// submissions the report counts (EachEvent). The upgrade's migration
// (TypesMigrated) rewrites their types to the documented ones, which the
// report reads as stored; a type spelt otherwise ("email-lead") is still
// a new one. The types' step leaves their keys as they were stored: a
// retry of one with its old key is still a duplicate of it (the next
// migration's step, storesql.KeyByDeliveryID, gives those the CRM cannot
// know the key intake gives them now: TestUpgradeKeysOddLeadsByTheirDeliveryID).
func testReportReadsATypeInAnotherCase(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	ids := map[string]int64{}
	keys, bodies := map[string]string{}, map[string][]byte{}
	for i, typ := range []string{"email_lead", "Email_Lead", " email_lead\u00a0", "EMAIL_LEAD\t", "email-lead"} {
		id := fmt.Sprint(700 + i)
		inc := eafIncoming(id, fmt.Sprintf(`{"eaf_type":%q,"eaf_id":%q,"contact_email":"lead%s@example.com"}`, typ, id, id))
		inc.Type = typ
		if typ != "email_lead" { // an older syncd keyed a type it did not know by the body's hash
			sum := sha256.Sum256(inc.Body)
			inc.Key = "sha256:" + hex.EncodeToString(sum[:])
		}
		rec, err := in.Store(e.ctx, inc)
		if err != nil || rec.Outcome != syncd.Accepted {
			t.Fatalf("store %q: %+v, %v", typ, rec, err)
		}
		ids[typ], keys[typ], bodies[typ] = rec.ID, inc.Key, inc.Body
		e.advance(time.Second)
	}
	sub := eafIncoming("790", `{"eaf_type":"Portal_Submission","eaf_id":"790"}`)
	sum := sha256.Sum256(sub.Body)
	sub.Type, sub.Key = "Portal_Submission", "sha256:"+hex.EncodeToString(sum[:])
	rec, err := in.Store(e.ctx, sub)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("store Portal_Submission: %+v, %v", rec, err)
	}
	e.TypesMigrated()
	for _, typ := range []string{"Email_Lead", "email-lead"} { // a sender's retry, with the key it was stored with
		inc := eafIncoming("", string(bodies[typ]))
		inc.Type, inc.Key = typ, keys[typ]
		r, err := in.Store(e.ctx, inc)
		if err != nil || r.Outcome != syncd.Duplicate || r.ID != ids[typ] {
			t.Errorf("%q stored again with its key %s after the migration: %+v, %v; want a duplicate of %d", typ, keys[typ], r, err, ids[typ])
		}
	}
	for typ, want := range map[string]string{"Email_Lead": syncd.TypeEmailLead, "email-lead": "email-lead"} {
		ev, err := e.Store.Event(e.ctx, ids[typ])
		if err != nil {
			t.Fatal(err)
		}
		if ev.Type != want || ev.Key != keys[typ] {
			t.Errorf("event stored as %q after the migration: type %q, key %s; want %q, key %s", typ, ev.Type, ev.Key, want, keys[typ])
		}
	}
	to := e.now().Add(time.Second)
	var subs []int64
	if err := e.Store.EachEvent(e.ctx, from, to, string(syncd.KindEAF), syncd.TypePortalSubmission, func(r *syncd.EventRow) error {
		subs = append(subs, r.EventID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []int64{rec.ID}; !slices.Equal(subs, want) {
		t.Errorf("portal submissions: events %v; want Portal_Submission's %v", subs, want)
	}
	var leads []int64
	if err := e.Store.EachLead(e.ctx, from, to, "hubspot", func(r *syncd.LeadRow) error {
		leads = append(leads, r.EventID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []int64{ids["email_lead"], ids["Email_Lead"], ids[" email_lead\u00a0"], ids["EMAIL_LEAD\t"]}
	if !slices.Equal(leads, want) {
		t.Errorf("Leads sheet: events %v; want %v (email_lead, Email_Lead, ' email_lead ', 'EMAIL_LEAD '; not email-lead %d)",
			leads, want, ids["email-lead"])
	}
	var newTypes []string
	if err := e.Store.EachAttention(e.ctx, from, to, func(r *syncd.AttentionRow) error {
		newTypes = append(newTypes, fmt.Sprintf("%s %d lead %d", r.Kind, r.ID, r.EventID))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{fmt.Sprintf("new_type %d lead 0", ids["email-lead"])}; !slices.Equal(newTypes, want) {
		t.Errorf("Needs attention: %q; want only email-lead's, a new type: %q", newTypes, want)
	}
}
