// Package crmtest holds test helpers shared by the adapter tests: leads to
// deliver, a small stand-in for the syncer that resends what failed
// transiently, the duplicate-freedom check on crmfake's state, and crm
// check of mappings with the findings about one field.
package crmtest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// Leads returns n contacts and their deals; custom adds properties to each
// deal (e.g. a Pipedrive title).
func Leads(n int) ([]syncd.Contact, []syncd.Deal) {
	cs := make([]syncd.Contact, 0, n)
	ds := make([]syncd.Deal, 0, n)
	for i := range n {
		email := fmt.Sprintf("lead%05d@example.com", i)
		cs = append(cs, syncd.Contact{Key: email, Email: email, Properties: map[string]string{
			"email": email, "firstname": fmt.Sprintf("Lead %d", i), "name": fmt.Sprintf("Lead %d", i)}})
		ds = append(ds, syncd.Deal{LeadID: fmt.Sprintf("L-%05d", i), ContactKey: email, Properties: map[string]string{
			"dealname": fmt.Sprintf("Lead %d", i), "title": fmt.Sprintf("Lead %d", i)}})
	}
	return cs, ds
}

// Deliver plays the syncer: contacts before deals, each deal given its
// contact's id, resending whatever failed with ErrRetry or ErrWait, for
// at most rounds rounds. It returns the last result of every record.
func Deliver(ctx context.Context, a syncd.CRM, contacts []syncd.Contact, deals []syncd.Deal, rounds int) (cr, dr []syncd.Result) {
	cr = make([]syncd.Result, len(contacts))
	dr = make([]syncd.Result, len(deals))
	pendingC, pendingD := seq(len(contacts)), seq(len(deals))
	for r := 0; r < rounds && len(pendingC)+len(pendingD) > 0; r++ {
		if len(pendingC) > 0 {
			batch := make([]syncd.Contact, len(pendingC))
			for j, i := range pendingC {
				batch[j] = contacts[i]
			}
			pendingC = collect(a.UpsertContacts(ctx, batch), pendingC, cr)
		}
		ids := map[string]string{}
		for i, c := range contacts {
			if cr[i].Err == nil && cr[i].ID != "" {
				ids[c.Key] = cr[i].ID
			}
		}
		var ready, waiting []int
		for _, i := range pendingD {
			if ids[deals[i].ContactKey] != "" {
				ready = append(ready, i)
			} else {
				waiting = append(waiting, i)
			}
		}
		if len(ready) > 0 {
			batch := make([]syncd.Deal, len(ready))
			for j, i := range ready {
				batch[j] = deals[i]
				batch[j].ContactID = ids[deals[i].ContactKey]
			}
			pendingD = append(waiting, collect(a.UpsertDeals(ctx, batch), ready, dr)...)
		}
	}
	return cr, dr
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// collect stores results and returns the indexes that failed transiently.
func collect(res []syncd.Result, idx []int, out []syncd.Result) []int {
	var left []int
	for j, r := range res {
		out[idx[j]] = r
		if c := Class(r.Err); (c == syncd.ErrRetry || c == syncd.ErrWait) && r.Err != nil {
			left = append(left, idx[j])
		}
	}
	return left
}

// Class is err's CRMError class, ErrRetry for any other error.
func Class(err error) syncd.ErrClass {
	var ce *syncd.CRMError
	if errors.As(err, &ce) {
		return ce.Class
	}
	return syncd.ErrRetry
}

// CheckClean fails t unless every result succeeded and the fake holds
// exactly n contacts (one per email) and n deals (one per lead), each deal
// associated with exactly one contact.
func CheckClean(t testing.TB, srv *crmfake.Server, n int, cr, dr []syncd.Result) {
	t.Helper()
	for i, r := range cr {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("contact %d: id %q err %v", i, r.ID, r.Err)
		}
	}
	for i, r := range dr {
		if r.Err != nil || r.ID == "" {
			t.Fatalf("deal %d: id %q err %v", i, r.ID, r.Err)
		}
	}
	st := srv.State()
	if d := st.Duplicates(); len(d) > 0 {
		t.Fatalf("duplicates: %v", d)
	}
	if len(st.Contacts) != n || len(st.ContactsByEmail) != n || len(st.Deals) != n || len(st.DealsByLead) != n {
		t.Fatalf("state holds %d contacts (%d emails), %d deals (%d leads); want %d each",
			len(st.Contacts), len(st.ContactsByEmail), len(st.Deals), len(st.DealsByLead), n)
	}
	for lead, ds := range st.DealsByLead {
		if len(ds[0].ContactIDs) != 1 {
			t.Fatalf("deal %s associated with %v", lead, ds[0].ContactIDs)
		}
	}
}

// SoakFaults is a fault mix firing on about 20% of calls to paths under
// pattern: writes applied then answered 502 or dropped, drops before the
// write, 429s, 503s, truncated and malformed answers.
func SoakFaults(pattern string) []crmfake.Fault {
	return []crmfake.Fault{
		{Name: "apply-502", Path: pattern, Action: crmfake.ActApplyThenError, Probability: 0.05},
		{Name: "apply-drop", Path: pattern, Action: crmfake.ActApplyThenDrop, Probability: 0.04},
		{Name: "drop", Path: pattern, Action: crmfake.ActDrop, Probability: 0.03},
		{Name: "429", Path: pattern, Action: crmfake.ActRateLimit, RetryAfter: "0", Probability: 0.03},
		{Name: "503-html", Path: pattern, Action: crmfake.ActError, Status: 503, HTML: true, Probability: 0.02},
		{Name: "truncate", Path: pattern, Action: crmfake.ActTruncate, Probability: 0.02},
		{Name: "malformed", Path: pattern, Action: crmfake.ActMalformed, Probability: 0.01},
	}
}

// Fired is how many times srv's faults fired.
func Fired(srv *crmfake.Server) int {
	n := 0
	for _, f := range srv.Faults() {
		n += f.Fired
	}
	return n
}
