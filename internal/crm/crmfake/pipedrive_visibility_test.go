package crmfake_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPipedriveDealsInAPipelineTheUserMayNotSee: with pipeline visibility,
// Pipedrive answers POST /deals with 400 for a pipeline_id or stage_id of
// a pipeline the token's user may not see, and 403 to the GET and the
// update of a deal in one; its lists leave such deals out
// (docs/crm-contracts.md [pd-cl-vis]). The fake took the deal into the
// hidden pipeline, so a trial never showed what syncd does when an admin
// hides the pipeline the mappings write after setup. An admin's token
// sees, and writes, every pipeline.
func TestPipedriveDealsInAPipelineTheUserMayNotSee(t *testing.T) {
	pipes := func(hidden bool) []crmfake.PDPipeline {
		return []crmfake.PDPipeline{
			{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
			{ID: 2, Name: "Lettings", Hidden: hidden, Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
		}
	}
	for _, regular := range []bool{false, true} {
		srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok", RegularUser: regular})
		srv.SetPDPipelines(pipes(false))
		person := call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann"})
		pid := person.body["data"].(map[string]any)["id"]
		before := call(t, "POST", base+"/deals", "tok", map[string]any{"title": "made while visible", "person_id": pid, "stage_id": 7})
		if before.status != 200 {
			t.Fatalf("a deal in a visible pipeline: %d %s", before.status, before.raw)
		}
		old := fmt.Sprint(before.body["data"].(map[string]any)["id"])
		srv.SetPDPipelines(pipes(true)) // an admin restricts Lettings to a visibility group
		for _, in := range []map[string]any{{"stage_id": 7}, {"pipeline_id": 2}} {
			in["title"], in["person_id"] = "deal", pid
			a := call(t, "POST", base+"/deals", "tok", in)
			if !regular {
				if a.status != 200 {
					t.Errorf("an admin's POST %v: %d %s", in, a.status, a.raw)
				}
				continue
			}
			_, hasAdditional := a.body["additional_data"]
			if a.status != 400 || a.body["success"] != false || a.body["error"] == "" || a.body["error_info"] == "" ||
				a.body["data"] != nil || !hasAdditional || a.body["additional_data"] != nil {
				t.Errorf("POST %v by a regular user: %d %s; want 400 with Pipedrive's error body", in, a.status, a.raw)
			}
		}
		if regular && len(srv.State().Deals) != 1 {
			t.Errorf("the refused deals were made: %+v", srv.State().Deals)
		}
		moved := call(t, "POST", base+"/deals", "tok", map[string]any{"title": "visible", "person_id": pid, "stage_id": 1})
		vid := fmt.Sprint(moved.body["data"].(map[string]any)["id"])
		if a := call(t, "PATCH", base+"/deals/"+vid, "tok", map[string]any{"stage_id": 7}); regular && a.status != 400 || !regular && a.status != 200 {
			t.Errorf("regular %v: moving a deal to the hidden pipeline's stage: %d %s", regular, a.status, a.raw)
		}
		get := call(t, "GET", base+"/deals/"+old, "tok", nil)
		patch := call(t, "PATCH", base+"/deals/"+old, "tok", map[string]any{"title": "edited"})
		listed := strings.Contains(call(t, "GET", base+"/deals", "tok", nil).raw, `"id":`+old+`,`)
		want := 200
		if regular {
			want = 403
		}
		if get.status != want || patch.status != want || listed == regular {
			t.Errorf("regular %v: a deal in the hidden pipeline: GET %d, PATCH %d (%s), listed %v; want %d, %d, %v",
				regular, get.status, patch.status, patch.raw, listed, want, want, !regular)
		}
	}
}

// TestHidePDPipelineHidesOrAddsIt: `syncd fakecrm -hidden-pipeline NAME`
// hides the default pipeline by its name, or adds one so named, with the
// default's stage names under ids of their own, hidden from a regular
// user alone.
func TestHidePDPipelineHidesOrAddsIt(t *testing.T) {
	for _, c := range []struct {
		name     string
		shown    []string
		pipeline int // pipelines an admin sees, each with a stage Qualified
	}{{"pipeline", []string{}, 1}, {"Lettings", []string{`"name":"Pipeline"`}, 2}} {
		for _, regular := range []bool{false, true} {
			srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok", RegularUser: regular})
			id := srv.HidePDPipeline(c.name)
			pipes := call(t, "GET", base+"/pipelines", "tok", nil).raw
			stages := call(t, "GET", base+"/stages", "tok", nil).raw
			if !regular {
				if !strings.Contains(pipes, fmt.Sprintf(`"id":%d,`, id)) || strings.Count(stages, `"name":"Qualified"`) != c.pipeline {
					t.Errorf("%s: an admin's lists:\n%s\n%s", c.name, pipes, stages)
				}
				continue
			}
			if strings.Contains(pipes, fmt.Sprintf(`"id":%d,`, id)) || strings.Count(stages, `"name":"Qualified"`) != len(c.shown) {
				t.Errorf("%s: a regular user's lists show the hidden pipeline %d:\n%s\n%s", c.name, id, pipes, stages)
			}
			for _, w := range c.shown {
				if !strings.Contains(pipes, w) {
					t.Errorf("%s: a regular user's pipelines lack %s:\n%s", c.name, w, pipes)
				}
			}
		}
	}
}
