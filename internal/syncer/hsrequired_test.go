package syncer_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
	"github.com/syncd-dev/syncd/internal/syncer"
)

// TestHubSpotPropertyTheAccountRequiresPauses: a HubSpot account that
// refuses every new contact without a property the mappings do not write
// (an admin made "region" required). The contract names no such refusal
// (a HubSpot property has no "required" flag in the API); the stand-in's
// 400 VALIDATION_ERROR fault plays it, in HubSpot's documented shape. The
// batch was halved down to single contacts and every lead dead-lettered
// as "crm refused the record's own value", a fix no lead could take. Now
// the adapter pauses in one call with plain words naming the property and
// what to do; once the check passes (it cannot see the requirement) the
// next try pauses again rather than dead-letter the lead; once the account
// takes the contacts, every lead goes out.
func TestHubSpotPropertyTheAccountRequiresPauses(t *testing.T) {
	t.Parallel()
	fields := []syncd.FieldSpec{
		{Kind: syncd.RecordContact, Name: "email"}, {Kind: syncd.RecordContact, Name: "firstname"}, {Kind: syncd.RecordContact, Name: "lastname"},
		{Kind: syncd.RecordDeal, Name: "dealname"}, {Kind: syncd.RecordDeal, Name: "dealstage"}, {Kind: syncd.RecordDeal, Name: "pipeline"},
	}
	checks := 0
	r := hubspotRig(t, crmfake.Options{}, hubspot.Options{Fields: fields}, func(o *syncer.Options) {
		o.Check = func(context.Context) error { checks++; return nil } // nothing the check reads is wrong
	})
	refusal, _ := json.Marshal(map[string]any{"status": "error", "category": "VALIDATION_ERROR", "correlationId": "c1",
		"message": `Property values were not valid: [{"isValid":false,"message":"Property \"region\" is required","error":"REQUIRED","name":"region"}]`})
	r.srv.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 400, Body: string(refusal)})
	enqueueLeads(t, r.db, hubspot.Name, 0, 4)
	ctx := context.Background()
	noneDead := func(when string) {
		t.Helper()
		for _, op := range allOps(t, r.db) {
			if op.State == syncd.OpDead {
				t.Fatalf("%s: op %d (%s) dead-lettered: %s", when, op.ID, op.Kind, op.LastError)
			}
		}
	}
	sum, err := r.s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noneDead("the first try")
	if sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, `HubSpot refuses every new contact without contact property "region", which the mappings do not write`) ||
		!strings.Contains(sum.PauseReason, "write it in the mappings") || !strings.Contains(sum.PauseReason, "make it optional in HubSpot") ||
		!strings.Contains(sum.PauseReason, "`syncd crm check` cannot see") || !strings.Contains(syncer.ResumeHint(sum.PauseKind), "once the CRM takes a lead") {
		t.Fatalf("the first try: %+v; want a pause naming region and what to do", sum)
	}
	if n := r.srv.CountRequests("POST", "/crm/v3/objects/contacts/batch/upsert", 0); n != 1 {
		t.Errorf("%d contact batches for 4 leads refused alike, want 1", n)
	}

	r.clk.Advance(sum.PausedUntil.Sub(r.clk.Now()) + 1) // the check passes as the pause ends
	sum, err = r.s.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noneDead("after the check passed")
	if checks == 0 || sum.PausedUntil.IsZero() || !strings.Contains(sum.PauseReason, `"region"`) {
		t.Fatalf("after the check passed (%d checks): %+v; want a pause again", checks, sum)
	}

	r.srv.ClearFaults() // the admin made it optional
	r.clk.Advance(sum.PausedUntil.Sub(r.clk.Now()) + 1)
	if sum, err = r.s.RunOnce(ctx); err != nil || !sum.PausedUntil.IsZero() {
		t.Fatalf("once the account takes the contacts: %+v, %v", sum, err)
	}
	if n := countStates(allOps(t, r.db))[syncd.OpDone]; n != 8 {
		t.Errorf("%d operations done, want all 8: %v", n, countStates(allOps(t, r.db)))
	}
}
