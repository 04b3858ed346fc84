package pipedrive_test

import (
	"context"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipelineTheTokensUserCannotSeeIsNotSaidMissing: on a Premium
// Pipedrive account the admin restricted the pipeline the mappings write
// ("Lettings") to one visibility group, and the API token is a regular
// user's outside it. Pipedrive's lists leave such a pipeline out for that
// user. crm check said `no pipeline named or numbered "Lettings"` and to
// write one of the pipelines it saw instead: an operator doing so sends
// the agency's leads into another team's pipeline. It now says that the
// token's user may not see it, and where to let it (or to use an admin's
// token), beside writing another pipeline. An admin's token sees it.
func TestPipelineTheTokensUserCannotSeeIsNotSaidMissing(t *testing.T) {
	t.Parallel()
	pipes := []crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
		{ID: 2, Name: "Lettings", Hidden: true, Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
	}
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Lettings"}, Where: "pipedrive/eaf.yaml:38"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"New enquiry"}, Where: "pipedrive/eaf.yaml:39"},
	}
	for _, regular := range []bool{false, true} {
		srv, a, _ := setup(t, crmfake.Options{RegularUser: regular}, pipedrive.Options{})
		srv.SetPDPipelines(pipes)
		fs, err := a.Check(context.Background(), specs)
		if err != nil {
			t.Fatal(err)
		}
		errs := errorsOf(fs)
		if !regular {
			if len(errs) != 0 {
				t.Fatalf("an admin's token sees every pipeline: %+v", errs)
			}
			continue
		}
		got := errs["pipeline"]
		for _, want := range []string{`no pipeline named or numbered "Lettings"`, "the token's user is not an admin",
			"Visibility groups", "an admin user's API token", `"Pipeline"`, "pipedrive/eaf.yaml:38"} {
			if !strings.Contains(got, want) {
				t.Errorf("the pipeline's row lacks %q:\n%s", want, got)
			}
		}
		// Its stages are in that pipeline, hidden alike: their row says so too.
		if got := errs["stage"]; got != "" && !strings.Contains(got, "Visibility groups") {
			t.Errorf("the stage's row:\n%s", got)
		}
	}
}

// TestCheckWithNoPipelineShownSaysSo: the one pipeline of the account,
// the one the mappings write, is hidden from the token's user (`syncd
// fakecrm -regular-user -hidden-pipeline Pipeline` plays it). The rows of
// the pipeline and its stage said `else write one of:  in
// pipedrive/eaf.yaml:38`, a list of nothing; they now say that Pipedrive
// shows the token none.
func TestCheckWithNoPipelineShownSaysSo(t *testing.T) {
	t.Parallel()
	srv, a, _ := setup(t, crmfake.Options{RegularUser: true}, pipedrive.Options{})
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Pipeline", Hidden: true, Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}}})
	fs, err := a.Check(context.Background(), []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Pipeline"}, Where: "pipedrive/eaf.yaml:38"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified"}, Where: "pipedrive/eaf.yaml:39"},
	})
	if err != nil {
		t.Fatal(err)
	}
	errs := errorsOf(fs)
	for name, want := range map[string]string{"pipeline": "Pipedrive shows the token's user no pipeline", "stage": "Pipedrive shows the token's user no stage there"} {
		if got := errs[name]; strings.Contains(got, "one of:  in") || !strings.Contains(got, want) || !strings.Contains(got, "Visibility groups") {
			t.Errorf("the %s's row:\n%s", name, got)
		}
	}
}
