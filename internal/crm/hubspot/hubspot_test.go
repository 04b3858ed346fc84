package hubspot_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

const token = "pat-test-token"

func setup(t *testing.T, fo crmfake.Options, ao hubspot.Options) (*crmfake.Server, *hubspot.Adapter) {
	t.Helper()
	fo.Kind, fo.Token = crmfake.KindHubSpot, token
	srv := crmfake.New(fo)
	base := srv.Start()
	t.Cleanup(func() { _ = srv.Close() })
	ao.BaseURL = base
	if ao.Token == "" {
		ao.Token = token
	}
	if ao.HTTP.Timeout == 0 {
		ao.HTTP.Timeout = 300 * time.Millisecond
	}
	ao.HTTP.RetryWaitMin, ao.HTTP.RetryWaitMax = 2*time.Millisecond, 20*time.Millisecond
	if ao.HTTP.RateLimit == 0 {
		ao.HTTP.RateLimit = -1
	}
	return srv, hubspot.New(ao)
}

func lead(i int) (syncd.Contact, syncd.Deal) {
	email := fmt.Sprintf("lead%03d@example.com", i)
	c := syncd.Contact{Key: email, Email: email, Properties: map[string]string{"email": email, "firstname": fmt.Sprintf("Lead %d", i)}}
	d := syncd.Deal{LeadID: fmt.Sprintf("L-%03d", i), ContactKey: email, Properties: map[string]string{"dealname": fmt.Sprintf("Lead %d", i), "amount": "450000"}}
	return c, d
}

// deliver plays the syncer: it resends what failed with ErrRetry, up to
// rounds times, contacts before deals, and returns the final results.
func deliver(t *testing.T, a syncd.CRM, contacts []syncd.Contact, deals []syncd.Deal, rounds int) (cr, dr []syncd.Result) {
	t.Helper()
	ctx := context.Background()
	cr = make([]syncd.Result, len(contacts))
	dr = make([]syncd.Result, len(deals))
	pendingC := make([]int, len(contacts))
	for i := range pendingC {
		pendingC[i] = i
	}
	pendingD := make([]int, len(deals))
	for i := range pendingD {
		pendingD[i] = i
	}
	for r := 0; r < rounds && len(pendingC)+len(pendingD) > 0; r++ {
		if len(pendingC) > 0 {
			batch := make([]syncd.Contact, len(pendingC))
			for j, i := range pendingC {
				batch[j] = contacts[i]
			}
			res := a.UpsertContacts(ctx, batch)
			pendingC = retryable(res, pendingC, cr)
		}
		ids := map[string]string{}
		for i, c := range contacts {
			if cr[i].Err == nil && cr[i].ID != "" {
				ids[c.Key] = cr[i].ID
			}
		}
		var ready []int
		for _, i := range pendingD {
			if ids[deals[i].ContactKey] != "" {
				ready = append(ready, i)
			}
		}
		if len(ready) > 0 {
			batch := make([]syncd.Deal, len(ready))
			for j, i := range ready {
				batch[j] = deals[i]
				batch[j].ContactID = ids[deals[i].ContactKey]
			}
			res := a.UpsertDeals(ctx, batch)
			left := retryable(res, ready, dr)
			pendingD = append(minus(pendingD, ready), left...)
		}
	}
	return cr, dr
}

func retryable(res []syncd.Result, idx []int, out []syncd.Result) []int {
	var left []int
	for j, r := range res {
		out[idx[j]] = r
		var ce *syncd.CRMError
		if r.Err != nil && errors.As(r.Err, &ce) && ce.Class == syncd.ErrRetry {
			left = append(left, idx[j])
		}
	}
	return left
}

func minus(all, some []int) []int {
	drop := map[int]bool{}
	for _, i := range some {
		drop[i] = true
	}
	var out []int
	for _, i := range all {
		if !drop[i] {
			out = append(out, i)
		}
	}
	return out
}

func checkClean(t *testing.T, srv *crmfake.Server, n int, cr, dr []syncd.Result) {
	t.Helper()
	for i, r := range cr {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("contact %d: %+v", i, r)
		}
	}
	for i, r := range dr {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("deal %d: %+v", i, r)
		}
	}
	st := srv.State()
	if d := st.Duplicates(); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	if len(st.ContactsByEmail) != n || len(st.DealsByLead) != n {
		t.Fatalf("state holds %d contacts, %d deals; want %d each", len(st.ContactsByEmail), len(st.DealsByLead), n)
	}
	for lead, ds := range st.DealsByLead {
		if len(ds[0].ContactIDs) != 1 {
			t.Fatalf("deal %s associated with %v", lead, ds[0].ContactIDs)
		}
	}
}

func leads(n int) ([]syncd.Contact, []syncd.Deal) {
	var cs []syncd.Contact
	var ds []syncd.Deal
	for i := range n {
		c, d := lead(i)
		cs, ds = append(cs, c), append(ds, d)
	}
	return cs, ds
}

func TestUpsertHappyPathBatchesAndIsIdempotent(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	cs, ds := leads(250)
	cr, dr := deliver(t, a, cs, ds, 1)
	checkClean(t, srv, 250, cr, dr)
	if n := srv.CountRequests(http.MethodPost, "/crm/v3/objects/contacts/batch/upsert", 200); n != 3 {
		t.Fatalf("contact batches: %d, want 3 (100+100+50)", n)
	}
	// A second delivery of the same leads changes nothing and returns the same ids.
	cr2, dr2 := deliver(t, a, cs, ds, 1)
	checkClean(t, srv, 250, cr2, dr2)
	for i := range cr {
		if cr[i].ID != cr2[i].ID || dr[i].ID != dr2[i].ID {
			t.Fatalf("lead %d: ids changed on resend", i)
		}
	}
}

func TestDuplicateEmailsInOneCallShareOneInput(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	c, _ := lead(1)
	upper := c
	upper.Email = "LEAD001@Example.com"
	upper.Properties = map[string]string{"firstname": "Newer"}
	res := a.UpsertContacts(context.Background(), []syncd.Contact{c, c, upper})
	if res[0].Err != nil || res[0].ID == "" || res[0] != res[1] || res[1] != res[2] {
		t.Fatalf("results %+v", res)
	}
	st := srv.State()
	if len(st.Contacts) != 1 || st.Contacts[0].Properties["firstname"] != "Newer" {
		t.Fatalf("state %+v", st.Contacts)
	}
}

func TestInvalidInputDeadLettersOnlyItself(t *testing.T) {
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
	cs, _ := leads(9)
	bad := syncd.Contact{Key: "not-an-email", Email: "not-an-email"}
	cs = append(cs[:4], append([]syncd.Contact{bad}, cs[4:]...)...)
	res := a.UpsertContacts(context.Background(), cs)
	for i, r := range res {
		var ce *syncd.CRMError
		if i == 4 {
			if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Code != "INVALID_EMAIL" || ce.Status != 400 {
				t.Fatalf("bad input: %+v", r)
			}
			continue
		}
		if r.Err != nil || r.ID == "" {
			t.Fatalf("input %d: %+v", i, r)
		}
	}
	if n := len(srv.State().Contacts); n != 9 {
		t.Fatalf("%d contacts stored, want 9", n)
	}
}

func TestUnknownStageIsPermanentWithMessage(t *testing.T) {
	_, a := setup(t, crmfake.Options{Stages: []string{"appointmentscheduled"}}, hubspot.Options{})
	c, d := lead(1)
	cid := a.UpsertContacts(context.Background(), []syncd.Contact{c})[0].ID
	d.ContactID = cid
	d.Properties["dealstage"] = "nope"
	r := a.UpsertDeals(context.Background(), []syncd.Deal{d})[0]
	var ce *syncd.CRMError
	if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrPermanent || ce.Code != "INVALID_OPTION" || ce.Message == "" {
		t.Fatalf("got %+v", r.Err)
	}
}
