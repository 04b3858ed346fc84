package pipedrive_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipelineNameTwoPipelinesShareIsAConfigError: an account with two
// pipelines of the same name (one per office, say, each with its stage
// "New"), and a mapping that names the pipeline and the stage. The first
// pipeline listed was taken, without a word, and every lead went to it,
// and `syncd crm check` passed; a stage or field name two share was
// already an error. Now the pipeline is one too: the check names both ids
// and the deal waits behind a configuration pause; a pipeline named by its
// id goes where it says.
func TestPipelineNameTwoPipelinesShareIsAConfigError(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{{ID: 2, Name: "New"}}},
		{ID: 7, Name: "sales", Stages: []crmfake.PDStage{{ID: 8, Name: "New"}}},
	})
	fs, _ := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Sales"}, Where: "pipedrive/eaf.yaml:30"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New"}},
	})
	if p := errorsOf(fs)["pipeline"]; !strings.Contains(p, `2 pipelines are named "Sales"`) || !strings.Contains(p, "1") || !strings.Contains(p, "7") {
		t.Errorf("check of the pipeline: %q; want it said two are named so, with their ids", p)
	}
	cs, ds := crmtest.Leads(2)
	ds[0].Properties = map[string]string{"title": "T", "pipeline": "Sales", "stage": "New"}
	ds[1].Properties = map[string]string{"title": "T", "pipeline": "7", "stage": "New"}
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	var ce *syncd.CRMError
	if cr[0].Err != nil || !errors.As(dr[0].Err, &ce) || ce.Class != syncd.ErrConfig || ce.Property != "pipeline" {
		t.Fatalf("the deal naming a pipeline two share: %+v / %v (class %v); want a configuration error naming the pipeline",
			cr[0], dr[0].Err, crmtest.Class(dr[0].Err))
	}
	if dr[1].Err != nil {
		t.Fatalf("the deal naming the pipeline by id: %v", dr[1].Err)
	}
	for _, d := range srv.State().Deals {
		if d.ID == dr[1].ID && (d.Properties["pipeline_id"] != "7" || d.Properties["stage_id"] != "8") {
			t.Errorf("the deal naming pipeline 7 is in pipeline %s stage %s", d.Properties["pipeline_id"], d.Properties["stage_id"])
		}
	}
	if n := len(srv.State().Deals); n != 1 {
		t.Errorf("%d deals made, want only the one naming its pipeline by id", n)
	}
}
