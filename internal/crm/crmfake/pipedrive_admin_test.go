package crmfake_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestPipedrivePipelineHiddenShownAndDeletedOverTheAdminAPI: an operator
// trying `syncd fakecrm -kind pipedrive -regular-user` could hide a
// pipeline only at start (-hidden-pipeline), so never play an admin
// hiding, or deleting, the pipeline the mappings write after setup. The
// admin API now hides a pipeline from the regular user, shows it again
// and deletes it, by name or id, while the fake runs.
func TestPipedrivePipelineHiddenShownAndDeletedOverTheAdminAPI(t *testing.T) {
	srv, base := start(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "tok", RegularUser: true, StrictSchema: true})
	srv.SetPDPipelines([]crmfake.PDPipeline{
		{ID: 1, Name: "Pipeline", Stages: []crmfake.PDStage{{ID: 1, Name: "Qualified"}}},
		{ID: 2, Name: "Lettings office", Stages: []crmfake.PDStage{{ID: 7, Name: "New enquiry"}}},
	})
	admin := strings.TrimSuffix(base, "/api/v2") + "/__admin/pipelines"
	listed := func() []string {
		t.Helper()
		a := call(t, "GET", base+"/pipelines", "tok", nil)
		var names []string
		for _, p := range a.body["data"].([]any) {
			names = append(names, fmt.Sprint(p.(map[string]any)["name"]))
		}
		return names
	}
	person := call(t, "POST", base+"/persons", "tok", map[string]any{"name": "Ann"})
	pid := person.body["data"].(map[string]any)["id"]
	deal := func() int {
		return call(t, "POST", base+"/deals", "tok", map[string]any{"title": "T", "person_id": pid, "stage_id": 7}).status
	}

	if a := call(t, "POST", admin+"/"+url.PathEscape("lettings office")+"/hide", "", nil); a.status != 200 || a.body["hidden"] != true {
		t.Fatalf("hide: %d %s", a.status, a.raw)
	}
	if got := listed(); slices.Contains(got, "Lettings office") {
		t.Errorf("hidden, the regular user is shown %v", got)
	}
	if st := deal(); st != 400 {
		t.Errorf("a deal in the hidden pipeline: %d; want 400", st)
	}
	if a := call(t, "GET", admin, "", nil); !strings.Contains(a.raw, `"hidden":true`) || !strings.Contains(a.raw, "Lettings office") {
		t.Errorf("the admin's list: %s", a.raw)
	}
	if a := call(t, "POST", admin+"/2/show", "", nil); a.status != 200 || a.body["hidden"] != false {
		t.Fatalf("show: %d %s", a.status, a.raw)
	}
	if got := listed(); !slices.Contains(got, "Lettings office") {
		t.Errorf("shown again, the regular user is shown %v", got)
	}
	if st := deal(); st != 200 {
		t.Errorf("a deal in the pipeline shown again: %d", st)
	}
	if a := call(t, "DELETE", admin+"/2", "", nil); a.status != 200 || a.body["deleted"] != true {
		t.Fatalf("delete: %d %s", a.status, a.raw)
	}
	if got := listed(); slices.Contains(got, "Lettings office") || !slices.Contains(got, "Pipeline") {
		t.Errorf("deleted, the lists show %v", got)
	}
	if st := deal(); st != 400 {
		t.Errorf("a deal in the deleted pipeline's stage: %d; want 400", st)
	}
	if a := call(t, "POST", admin+"/Lettings/hide", "", nil); a.status != 404 || !strings.Contains(a.raw, `\"Pipeline\"`) {
		t.Errorf("a pipeline it does not have: %d %s; want 404 naming those it has", a.status, a.raw)
	}

	_, hs := start(t, crmfake.Options{Kind: crmfake.KindHubSpot})
	if a := call(t, "POST", hs+"/__admin/pipelines/Pipeline/hide", "", nil); a.status != 400 || !strings.Contains(a.raw, "-kind pipedrive") {
		t.Errorf("HubSpot's fake: %d %s", a.status, a.raw)
	}
}
