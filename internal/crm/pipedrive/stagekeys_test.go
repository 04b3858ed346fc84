package pipedrive_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/crm/pipedrive"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestPipedriveStageRenamedAfterCheck: a stage, then a pipeline, the
// mappings write by name, renamed in Pipedrive by the sales team after a
// check found them, is named as renamed with its new name; the check said
// only 'no stage named "Qualified"' and listed every stage of the
// pipeline to write one of, whether it was renamed or deleted. A stage
// deleted is still said as before.
func TestPipedriveStageRenamedAfterCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Keys: db})
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{
		{ID: 7, Name: "Qualified"}, {ID: 8, Name: "Contact Made"}, {ID: 9, Name: "Won"}}}})
	specs := []syncd.FieldSpec{
		{Kind: syncd.RecordDeal, Name: "pipeline", Values: []string{"Sales"}, Where: "eaf.yaml:38"},
		{Kind: syncd.RecordDeal, Name: "stage", Values: []string{"Qualified"}, Where: "eaf.yaml:39"},
	}
	if fs, err := a.Check(ctx, specs); err != nil || len(errorsOf(fs)) != 0 {
		t.Fatalf("check before the rename: %+v, %v", fs, err)
	}
	req, _ := http.NewRequest(http.MethodPatch, srv.BaseURL()+"/stages/7", strings.NewReader(`{"name":"Qualified lead"}`))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename: %v, %v", resp, err)
	}
	fs, err := a.Check(ctx, specs)
	want := `stage "Qualified" was renamed to "Qualified lead" in Pipedrive (id 7) | rename it back in Pipedrive, or write "Qualified lead" in eaf.yaml:39`
	if err != nil || errorsOf(fs)["stage"] != want {
		t.Fatalf("check after the stage's rename: %v, %v\nwant %s", errorsOf(fs), err, want)
	}
	// The pipeline renamed too (an admin's edit, played by the Go API: the
	// contract has no pipeline PATCH): both are named.
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales DK", Stages: []crmfake.PDStage{
		{ID: 7, Name: "Qualified lead"}, {ID: 8, Name: "Contact Made"}, {ID: 9, Name: "Won"}}}})
	fs, _ = a.Check(ctx, specs)
	wantPipe := `pipeline "Sales" was renamed to "Sales DK" in Pipedrive (id 1) | rename it back in Pipedrive, or write "Sales DK" in eaf.yaml:38`
	if got := errorsOf(fs); got["pipeline"] != wantPipe || got["stage"] != want {
		t.Fatalf("check after the pipeline's rename: %v\nwant %s\nand  %s", got, wantPipe, want)
	}
	// Another company's account (the configuration given another client's
	// token), its stage 7 another: no rename, whatever the ids.
	other, b, _ := setup(t, crmfake.Options{AccountID: 7654321}, pipedrive.Options{Keys: db})
	other.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{{ID: 7, Name: "Lead In"}}}})
	fs, _ = b.Check(ctx, specs)
	if got := errorsOf(fs)["stage"]; got != `no stage named "Qualified" | write one of: "Lead In" in eaf.yaml:39` {
		t.Fatalf("check of another company's account: %v", errorsOf(fs))
	}
	// Deleted, not renamed: the stages to choose from, as before.
	srv.SetPDPipelines([]crmfake.PDPipeline{{ID: 1, Name: "Sales", Stages: []crmfake.PDStage{{ID: 8, Name: "Contact Made"}, {ID: 9, Name: "Won"}}}})
	fs, _ = a.Check(ctx, specs)
	if got := errorsOf(fs)["stage"]; got != `no stage named "Qualified" | write one of: "Contact Made", "Won" in eaf.yaml:39` {
		t.Fatalf("check after the stage's deletion: %v", errorsOf(fs))
	}
}
