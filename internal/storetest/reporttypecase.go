package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/syncd"
)

// testReportReadsATypeInAnotherCase: leads an older syncd stored with a
// documented type in another case or with white space around it
// ("Email_Lead", " email_lead\u00a0", "EMAIL_LEAD\t") are mapped by the mapper
// (sender.DocumentedType) but were missing from the report's Leads sheet,
// which selected leads by their type as stored; those pending were rows
// of a new event type on Needs attention; so a "Portal_Submission" was
// missing from the portal submissions the report counts (EachEvent). The
// report reads them as the mapper does; a type spelt otherwise
// ("email-lead") is still a new one.
func testReportReadsATypeInAnotherCase(t *testing.T, e *env) {
	in := e.runIntake(e.Handle, window)
	from := e.now()
	ids := map[string]int64{}
	for i, typ := range []string{"email_lead", "Email_Lead", " email_lead\u00a0", "EMAIL_LEAD\t", "email-lead"} {
		id := fmt.Sprint(700 + i)
		inc := eafIncoming(id, fmt.Sprintf(`{"eaf_type":%q,"eaf_id":%q,"contact_email":"lead%s@example.com"}`, typ, id, id))
		inc.Type = typ
		rec, err := in.Store(e.ctx, inc)
		if err != nil || rec.Outcome != syncd.Accepted {
			t.Fatalf("store %q: %+v, %v", typ, rec, err)
		}
		ids[typ] = rec.ID
		e.advance(time.Second)
	}
	sub := eafIncoming("790", `{"eaf_type":"Portal_Submission","eaf_id":"790"}`)
	sub.Type, sub.Key = "Portal_Submission", "eaf.portal_submission:790"
	rec, err := in.Store(e.ctx, sub)
	if err != nil || rec.Outcome != syncd.Accepted {
		t.Fatalf("store Portal_Submission: %+v, %v", rec, err)
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
