package hubspot_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/hubspot"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDealMovedToAnotherPipelineKeepsWhereItWasPut: a mapping writes the
// pipeline at create only and the deal stage on every update; a
// salesperson moves the deal to another pipeline. The lead sent again
// updates the deal without the mapping's stage (another pipeline's, which
// HubSpot refuses for the deal's own pipeline), leaving it where it was
// put, and a warning names the deal and its pipeline. Before, HubSpot's
// INVALID_OPTION paused the adapter for every lead ("write the pipeline
// the stage is in beside it", which the mapping did), the check passed,
// and the lead was dead-lettered as the record's own value.
func TestDealMovedToAnotherPipelineKeepsWhereItWasPut(t *testing.T) {
	t.Parallel()
	modes := syncd.WriteModes{syncd.RecordDeal: {"pipeline": syncd.WriteCreate}} // dealstage: always
	var log bytes.Buffer
	srv, a := setup(t, crmfake.Options{StrictSchema: true}, hubspot.Options{Modes: modes, Logger: zerolog.New(&log)})
	lettings := srv.AddPipeline("Lettings")
	ctx := context.Background()
	cs, ds := crmtest.Leads(2)
	for i := range cs {
		delete(cs[i].Properties, "name") // a Pipedrive property
	}
	for i := range ds {
		delete(ds[i].Properties, "title") // Pipedrive's
		ds[i].Properties["pipeline"], ds[i].Properties["dealstage"] = "default", "appointmentscheduled"
	}
	cr, dr := crmtest.Deliver(ctx, a, cs, ds, 3)
	crmtest.CheckClean(t, srv, 2, cr, dr)
	moved := lettings.Stages[2].ID
	if err := srv.EditDeal(dr[0].ID, crmfake.Edit{Properties: map[string]string{"pipeline": lettings.ID, "dealstage": moved}}); err != nil {
		t.Fatal(err)
	}
	for i := range ds {
		ds[i].Properties["dealstage"], ds[i].Properties["description"] = "qualifiedtobuy", "asked again"
	}
	_, dr2 := crmtest.Deliver(ctx, a, cs, ds, 3)
	for i, r := range dr2 {
		if r.Err != nil || r.ID != dr[i].ID {
			t.Fatalf("deal %d sent again: %+v, want done as %s", i, r, dr[i].ID)
		}
	}
	st := srv.State()
	got := st.DealsByLead[ds[0].LeadID][0].Properties
	if got["pipeline"] != lettings.ID || got["dealstage"] != moved || got["description"] != "asked again" {
		t.Errorf("moved deal: pipeline %q, stage %q, description %q; want %s, %s, the update's", got["pipeline"], got["dealstage"], got["description"], lettings.ID, moved)
	}
	if other := st.DealsByLead[ds[1].LeadID][0].Properties; other["dealstage"] != "qualifiedtobuy" {
		t.Errorf("deal left in its pipeline: stage %q, want the mapping's qualifiedtobuy", other["dealstage"])
	}
	line := log.String()
	for _, w := range []string{`"level":"warn"`, dr[0].ID, `"pipeline":"` + lettings.ID + `"`, "moved to another pipeline"} {
		if !strings.Contains(line, w) {
			t.Errorf("log lacks %s:\n%s", w, line)
		}
	}
}
