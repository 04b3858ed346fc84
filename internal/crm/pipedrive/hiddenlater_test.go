package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipelineHiddenWhileRunningSaysTheTokensUserMayNotSeeIt: the token is
// a regular user's, and an admin restricts the pipeline the mappings
// write to a visibility group the user is not in while the daemon runs.
// Pipedrive refuses every new deal there (400). The adapter read the
// pipelines again and made it a configuration error (a pause) saying only
// `no pipeline named "Lettings"`, as if it were deleted or misspelt, or,
// for a stage written by its id, a refusal of the lead's own (a dead
// letter, each lead alike). Both now say the token's user may not see the
// pipeline and what to do: a pause, which ends once the check passes.
func TestPipelineHiddenWhileRunningSaysTheTokensUserMayNotSeeIt(t *testing.T) {
	t.Parallel()
	pipes := func(hidden bool) []crmfake.PDPipeline {
		return []crmfake.PDPipeline{
			{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
			{ID: 2, Name: "Lettings", Hidden: hidden, Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
		}
	}
	for _, props := range []map[string]string{
		{"title": "T", "pipeline": "Lettings", "stage": "New enquiry"},
		{"title": "T", "stage_id": "7"},
	} {
		var offset atomic.Int64
		now := func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }
		srv, a, _ := setup(t, crmfake.Options{StrictSchema: true, RegularUser: true}, pipedrive.Options{Now: now})
		srv.SetPDPipelines(pipes(false))
		cs, ds := crmtest.Leads(2)
		for i := range ds {
			ds[i].Properties = props
		}
		if cr, dr := deliver(t, a, cs[:1], ds[:1]); cr[0].Err != nil || dr[0].Err != nil {
			t.Fatalf("%v: first lead: %v / %v", props, cr[0].Err, dr[0].Err)
		}
		srv.SetPDPipelines(pipes(true))
		offset.Store(int64(2 * time.Minute)) // the pipelines were read over a minute ago
		cr, dr := crmtest.Deliver(context.Background(), a, cs[1:], ds[1:], 1)
		var ce *syncd.CRMError
		if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig {
			t.Fatalf("%v: second lead: %v / %v; want a configuration error", props, cr[0].Err, dr[0].Err)
		}
		for _, want := range []string{"the token's user is not an admin", "visibility group may not see",
			"Settings > Manage users > Visibility groups", "an admin user's API token"} {
			if !strings.Contains(ce.Message, want) {
				t.Errorf("%v: the error does not say %q: %s", props, want, ce.Message)
			}
		}
		t.Logf("%v: %v", props, ce)
		if n := len(srv.State().Deals); n != 1 {
			t.Errorf("%v: %d deals", props, n)
		}
	}
}

// TestDealInAPipelineHiddenSinceSaysWhyItsUpdateIsRefused: syncd made the
// lead's deal in "Lettings"; an admin then restricted that pipeline to a
// visibility group the token's user, a regular one, is not in. Pipedrive
// answers the update of a deal the user may not see with 403
// (docs/crm-contracts.md [pd-cl-vis]), which pauses the adapter as a
// refused permission, its reason Pipedrive's words alone, the hint to
// grant a permission. The error now says the deal's pipeline may be
// hidden from the user and what to do.
func TestDealInAPipelineHiddenSinceSaysWhyItsUpdateIsRefused(t *testing.T) {
	t.Parallel()
	pipes := func(hidden bool) []crmfake.PDPipeline {
		return []crmfake.PDPipeline{
			{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
			{ID: 2, Name: "Lettings", Hidden: hidden, Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
		}
	}
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true, RegularUser: true}, pipedrive.Options{})
	srv.SetPDPipelines(pipes(false))
	cs, ds := crmtest.Leads(1)
	ds[0].Properties = map[string]string{"title": "T", "pipeline": "Lettings", "stage": "New enquiry"}
	if cr, dr := deliver(t, a, cs, ds); cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("the lead: %v / %v", cr[0].Err, dr[0].Err)
	}
	srv.SetPDPipelines(pipes(true))
	ds[0].Properties = map[string]string{"title": "T, updated"}
	dr := a.UpsertDeals(context.Background(), ds)
	var ce *syncd.CRMError
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrAuth || ce.Status != 403 {
		t.Fatalf("the update: %v; want a 403 that pauses", dr[0].Err)
	}
	t.Logf("%v", ce)
	for _, want := range []string{"the token's user is not an admin", "a pipeline its visibility group may not see",
		"Settings > Manage users > Visibility groups", "an admin user's API token"} {
		if !strings.Contains(ce.Message, want) {
			t.Errorf("the error does not say %q: %s", want, ce.Message)
		}
	}
}
