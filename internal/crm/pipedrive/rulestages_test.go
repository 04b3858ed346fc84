package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipedriveStageIsCheckedAgainstItsRulesPipeline: two rules, each writing
// its own pipeline (Pipeline, Lettings, both with a stage "Qualified") and
// a stage by name. A deal's stage is looked up within the pipeline its rule
// writes, as placeStage does when it sends it. The check looked every stage
// up in any pipeline once the mappings wrote two: "2 pipelines have a stage
// named "Qualified": write the pipeline too" (crm check and setup exit 2)
// of rules that did, and passed a rule writing Lettings with stage 2, a stage
// of Pipeline by its id, which each lead's send then refused (a pause, the
// check passing, then a dead letter). Pipedrive itself would ignore
// pipeline_id beside a stage_id (docs/crm-contracts.md): syncd never sends
// such a pair.
func TestPipedriveStageIsCheckedAgainstItsRulesPipeline(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{StrictSchema: true}, pipedrive.Options{})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}, {ID: 2, Name: "Contact Made"}}},
		{ID: 2, Name: "Lettings", Stages: []crmfake.PDStage{{ID: 3, Name: "Qualified"}, {ID: 4, Name: "Viewing"}}},
	})
	specs := func(lettingsStage string) []syncd.FieldSpec {
		return []syncd.FieldSpec{
			{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Pipeline", "Lettings"}, Where: "eaf.yaml:38",
				ValueWhere:  map[string]string{"Pipeline": "eaf.yaml:38", "Lettings": "lb.yaml:40"},
				ValuePlaces: map[string][]string{"Pipeline": {"eaf.yaml:38"}, "Lettings": {"lb.yaml:40"}},
				Writes: []syncd.Write{{Rule: "eaf.yaml:20", At: "eaf.yaml:38", Values: []string{"Pipeline"}},
					{Rule: "lb.yaml:20", At: "lb.yaml:40", Values: []string{"Lettings"}}}},
			{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified", lettingsStage}, Where: "eaf.yaml:39",
				ValueWhere:  map[string]string{"Qualified": "eaf.yaml:39", lettingsStage: "lb.yaml:41"},
				ValuePlaces: map[string][]string{"Qualified": {"eaf.yaml:39", "lb.yaml:41"}, lettingsStage: {"lb.yaml:41"}},
				Writes: []syncd.Write{{Rule: "eaf.yaml:20", At: "eaf.yaml:39", Values: []string{"Qualified"}},
					{Rule: "lb.yaml:20", At: "lb.yaml:41", Values: []string{"Qualified", lettingsStage}}}},
		}
	}
	stageRows := func(lettingsStage string) []string {
		t.Helper()
		fs, err := a.Check(context.Background(), specs(lettingsStage))
		if err != nil {
			t.Fatal(err)
		}
		var rows []string
		for _, f := range fs {
			if f.Name == "stage" || f.Name == "pipeline" {
				rows = append(rows, string(f.Severity)+": "+f.Problem+" | "+f.Fix)
			}
		}
		return rows
	}
	if rows := stageRows("Viewing"); len(rows) != 0 {
		t.Errorf("each rule writes its pipeline and a stage of it; findings:\n%s", strings.Join(rows, "\n"))
	}
	rows := stageRows("2") // Pipeline's "Contact Made", by id, written with Lettings
	if len(rows) != 1 || !strings.HasPrefix(rows[0], "error: ") || !strings.Contains(rows[0], `"2"`) ||
		!strings.Contains(rows[0], "Lettings") || !strings.Contains(rows[0], "lb.yaml:41") || strings.Contains(rows[0], "eaf.yaml:39") {
		t.Errorf("a stage of Pipeline written with Lettings: findings\n%s\nwant one error naming stage 2, Lettings and lb.yaml:41 alone", strings.Join(rows, "\n"))
	}
}
