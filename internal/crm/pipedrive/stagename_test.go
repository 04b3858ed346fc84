package pipedrive_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/crmtest"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
)

// TestStageNamedAsAnotherStagesIDIsItsName: a mapping's `pipeline:` and
// `stage:` were matched to an id before a name, so in an account whose
// pipeline "1" has stages "2" and "Won" a lead written to pipeline "1",
// stage "2" went to the pipeline whose id is 1 and the stage whose id is
// 2, another pipeline's "New", and nothing said so. A name now wins over
// an id, as for options; an id no stage or pipeline is named as still
// names it.
func TestStageNamedAsAnotherStagesIDIsItsName(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{{ID: 2, Name: "New"}}},
		{ID: 4, Name: "1", Stages: []crmfake.PDStage{{ID: 5, Name: "2"}, {ID: 6, Name: "Won"}}},
	})
	cases := []struct{ pipeline, stage, wantPipeline, wantStage string }{
		{"1", "2", "4", "5"},
		{"", "2", "4", "5"},
		{"1", "6", "4", "6"},   // an id no stage is named as
		{"Sales", "", "1", ""}, // a name
		{"4", "Won", "4", "6"}, // an id no pipeline is named as
	}
	cs, ds := crmtest.Leads(len(cases))
	for i, c := range cases {
		ds[i].Properties = map[string]string{"title": "T"}
		if c.pipeline != "" {
			ds[i].Properties["pipeline"] = c.pipeline
		}
		if c.stage != "" {
			ds[i].Properties["stage"] = c.stage
		}
	}
	cr, dr := crmtest.Deliver(context.Background(), a, cs, ds, 1)
	for i, c := range cases {
		name := fmt.Sprintf("pipeline %q stage %q", c.pipeline, c.stage)
		if cr[i].Err != nil || dr[i].Err != nil {
			t.Errorf("%s: %v / %v", name, cr[i].Err, dr[i].Err)
			continue
		}
		for _, d := range srv.State().Deals {
			if d.ID != dr[i].ID {
				continue
			}
			if got := d.Properties["pipeline_id"]; got != c.wantPipeline {
				t.Errorf("%s: the deal is in pipeline %s, want %s", name, got, c.wantPipeline)
			}
			if got := d.Properties["stage_id"]; c.wantStage != "" && got != c.wantStage {
				t.Errorf("%s: the deal is in stage %s, want %s", name, got, c.wantStage)
			}
		}
	}
}
