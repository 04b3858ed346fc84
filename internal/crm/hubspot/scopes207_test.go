package hubspot_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm"
	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPartialBatchMissingScopesPauses: HubSpot answers a batch with 207,
// one input's error MISSING_SCOPES (the private app lacks a scope for
// this object or property). That is the account's doing, not the lead's:
// a whole call refused so (403 MISSING_SCOPES) pauses the adapter with
// "permission refused" and the scope to add. The 207's input was
// dead-lettered as the lead's own fault (itemClass made every category
// but INTERNAL_ERROR and RATE_LIMITS a refusal of the record), lead after
// lead. Now it is the 403's error: ErrAuth, status 403, naming the scope
// HubSpot names, or, when it names none, the scope the call needs.
func TestPartialBatchMissingScopesPauses(t *testing.T) {
	t.Parallel()
	const msg = "This app hasn't been granted all required scopes to make this call."
	for _, tc := range []struct {
		name, path, scope string
		fault             crmfake.Fault
	}{
		{"contacts upsert, no scope named", contactsUpsert, "crm.objects.contacts.write", crmfake.Fault{}},
		{"deals upsert, no scope named", dealsUpsert, "crm.objects.deals.write", crmfake.Fault{}},
		{"association, no scope named", assocBatch, "crm.objects.deals.write", crmfake.Fault{}},
		{"contacts upsert, scope named", contactsUpsert, "crm.schemas.contacts.sensitive.write", crmfake.Fault{Action: crmfake.ActError, Status: 207,
			Body: `{"status":"COMPLETE","numErrors":1,
			 "results":[{"id":"901","properties":{"email":"lead00000@example.com"},"objectWriteTraceId":"syncd-0"}],
			 "errors":[{"status":"error","category":"MISSING_SCOPES","message":"` + msg + `",
			  "context":{"objectWriteTraceId":["syncd-1"]},
			  "errors":[{"message":"One or more of the following scopes are required.","context":{"missingScopes":["crm.schemas.contacts.sensitive.write"]}}]}]}`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, a := setup(t, crmfake.Options{}, hubspot.Options{})
			f := tc.fault
			if f.Action == "" {
				f = crmfake.Fault{Action: crmfake.ActPartial, Category: "MISSING_SCOPES", Message: msg}
			}
			f.Method, f.Path, f.Uses = "POST", tc.path, 1
			cs, ds := leads(2)
			var res []syncd.Result
			if tc.path == contactsUpsert {
				srv.AddFault(f)
				res = a.UpsertContacts(context.Background(), cs)
			} else {
				cr := a.UpsertContacts(context.Background(), cs)
				for i := range cr {
					if cr[i].Err != nil {
						t.Fatal(cr[i].Err)
					}
					ds[i].ContactID = cr[i].ID
				}
				srv.AddFault(f)
				res = a.UpsertDeals(context.Background(), ds)
			}
			if n := srv.Faults()[0].Fired; n != 1 {
				t.Fatalf("the fault fired %d times", n)
			}
			failed := 0
			for i, r := range res {
				if r.Err == nil {
					continue
				}
				failed++
				var ce *syncd.CRMError
				if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrAuth || ce.Status != http.StatusForbidden || ce.Code != "MISSING_SCOPES" ||
					!strings.Contains(ce.Message, tc.scope) || !strings.Contains(ce.Message, "to the private app") && !strings.Contains(ce.Message, "the private app lacks") {
					t.Errorf("input %d: %v (class %v); want the 403's pause naming %s", i, r.Err, crmtest.Class(r.Err), tc.scope)
				}
			}
			if failed != 1 {
				t.Fatalf("%d inputs failed, want the one the 207 names: %+v", failed, res)
			}
		})
	}
}

// TestPartialBatchReadMissingScopesPauses: the read before a linked deal's
// update answers 207, one input's error MISSING_SCOPES. It was what
// itemClass said of its category: a refusal of that deal, dead-lettered.
// Now it is the 403's pause, naming the read scope the call needs.
func TestPartialBatchReadMissingScopesPauses(t *testing.T) {
	t.Parallel()
	links := &crm.MemLinks{}
	srv, a := setup(t, crmfake.Options{}, hubspot.Options{Links: links})
	cs, ds := leads(2)
	cr, dr := deliver(t, a, cs, ds, 1)
	for i := range ds {
		if dr[i].Err != nil {
			t.Fatal(dr[i].Err)
		}
		ds[i].ContactID = cr[i].ID
		_ = links.SetLink(context.Background(), hubspot.Name, syncd.RecordDeal, ds[i].LeadID, dr[i].ID)
	}
	srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/deals/batch/read", Action: crmfake.ActPartial, Uses: 1,
		Category: "MISSING_SCOPES", Message: "This app hasn't been granted all required scopes to make this call."})
	failed := 0
	for i, r := range a.UpsertDeals(context.Background(), ds) {
		if r.Err == nil {
			continue
		}
		failed++
		var ce *syncd.CRMError
		if !errors.As(r.Err, &ce) || ce.Class != syncd.ErrAuth || ce.Status != http.StatusForbidden || !strings.Contains(ce.Message, "crm.objects.deals.read") {
			t.Errorf("deal %d: %v (class %v); want the 403's pause naming crm.objects.deals.read", i, r.Err, crmtest.Class(r.Err))
		}
	}
	if srv.Faults()[0].Fired != 1 || failed != 1 {
		t.Fatalf("the fault fired %d times, %d deals failed; want 1 and 1", srv.Faults()[0].Fired, failed)
	}
}
