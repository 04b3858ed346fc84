package pipedrive_test

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestDealsGoOnToWhatTheSalesTeamRenamed: the sales team renames in
// Pipedrive the pipeline, the stage and a deal field the mappings write,
// after a check found them by those names. The first deal sent once the
// account was read again (a reload, a restart) failed with "no stage
// named" (ErrConfig), which paused the adapter: every lead waited until
// someone edited the mappings, though the stage and field were the same
// ones. Deals go on to them by their kept ids and keys; the check still
// names each rename for the mappings to be mended.
func TestDealsGoOnToWhatTheSalesTeamRenamed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{Keys: db})
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{
		{ID: 7, Name: "Qualified"}, {ID: 8, Name: "Contact Made"}}}})
	key := srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Sales"}, Where: "eaf.yaml:38"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified"}, Where: "eaf.yaml:39"},
		{Kind: syncd.RecordDeal, Name: "Budget", Type: "double", Where: "eaf.yaml:40"},
	}
	a.SetFields(specs)
	if fs, err := a.Check(ctx, specs); err != nil || len(errorsOf(fs)) != 0 {
		t.Fatalf("check before the renames: %+v, %v", fs, err)
	}
	req, _ := http.NewRequest(http.MethodPatch, srv.BaseURL()+"/dealFields/"+key, strings.NewReader(`{"field_name":"Budget (DKK)"}`))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename the field: %v, %v", resp, err)
	}
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales DK", Stages: []crmfake.PDStage{
		{ID: 7, Name: "Qualified lead"}, {ID: 8, Name: "Contact Made"}}}})
	if err := a.Resolve(ctx); err != nil { // a reload
		t.Fatal(err)
	}
	cs, ds := crmtest.Leads(1)
	ds[0].Properties = map[string]string{"title": "T", "pipeline": "Sales", "stage": "Qualified", "Budget": "1500"}
	cr, dr := crmtest.Deliver(ctx, a, cs, ds, 1)
	if cr[0].Err != nil || dr[0].Err != nil {
		t.Fatalf("a lead after the renames: %v / %v", cr[0].Err, dr[0].Err)
	}
	var deal struct{ Properties map[string]string }
	for _, d := range srv.State().Deals {
		if d.ID == dr[0].ID {
			deal.Properties = d.Properties
		}
	}
	if deal.Properties["pipeline_id"] != "1" || deal.Properties["stage_id"] != "7" || deal.Properties["custom_fields."+key] != "1500" {
		t.Errorf("the deal went to pipeline %q, stage %q, budget %q; want 1, 7 and 1500 under the renamed field (%v)",
			deal.Properties["pipeline_id"], deal.Properties["stage_id"], deal.Properties["custom_fields."+key], deal.Properties)
	}
	got := errorsOf(must(a.Check(ctx, specs)))
	for _, name := range []string{"pipeline", "stage", "Budget"} {
		if !strings.Contains(got[name], "was renamed to") {
			t.Errorf("the check does not name the rename of %s: %v", name, got)
		}
	}
	// A stage deleted, not renamed, still fails the deal as the account's
	// (the adapter pauses, naming it).
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales DK", Stages: []crmfake.PDStage{{ID: 8, Name: "Contact Made"}}}})
	if err := a.Resolve(ctx); err != nil {
		t.Fatal(err)
	}
	cs, ds = crmtest.Leads(2)
	ds[1].Properties = map[string]string{"title": "T", "stage": "Qualified"}
	_, dr = crmtest.Deliver(ctx, a, cs[1:], ds[1:], 1)
	var ce *syncd.CRMError
	if !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig {
		t.Errorf("a lead to a deleted stage: %v, want the account's problem (ErrConfig)", dr[0].Err)
	}
}

func must(fs []syncd.Finding, err error) []syncd.Finding {
	if err != nil {
		panic(err)
	}
	return fs
}
