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

// TestKeyOfAFieldOfAnotherTypeIsNotKept: the rename trap. A deal field
// "Budget" made by hand in Pipedrive as text, where the mappings declare
// a number. Setup said it cannot fix it, rightly, but kept its key as the
// field the mappings mean (so did the check). The operator then renamed
// the text field aside ("Budget (text)", keeping what records hold in it)
// to have setup make the right one: setup refused, calling it a rename of
// "Budget" and saying to rename it back or write "Budget (text)" in the
// mappings, the way back to a field that refuses every lead's value; the
// check said the same. Now neither keeps the key of a field of another
// type, a key an older syncd kept so is no rename, and once the field is
// out of the way setup makes the number field and keeps its key, and the
// check passes.
func TestKeyOfAFieldOfAnotherTypeIsNotKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Keys: db})
	wrong := srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "varchar"})
	specs := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Budget", Type: "double", Where: "deals.yaml:3"}}
	const kept = "pipedrive field deals budget"
	keyKept := func() string {
		t.Helper()
		v, _, err := db.StateValue(ctx, kept)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if fs, err := a.Check(ctx, specs); err != nil || !strings.Contains(errorsOf(fs)["Budget"], "is of type varchar") {
		t.Fatalf("check: %v, %v", errorsOf(fs), err)
	}
	acts, err := a.Setup(ctx, specs, false)
	if err != nil || acts[0].What != "cannot fix" {
		t.Fatalf("setup: %+v, %v", acts, err)
	}
	if k := keyKept(); k != "" {
		t.Fatalf("the key of the text field was kept for the number field the mappings mean: %s", k)
	}

	// As an older syncd kept it; then the field renamed aside in Pipedrive.
	if err := db.SetStateValue(ctx, kept, wrong); err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPatch, srv.BaseURL()+"/dealFields/"+wrong, strings.NewReader(`{"field_name":"Budget (text)"}`))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename: %v, %v", resp, err)
	}
	if fs, err := a.Check(ctx, specs); err != nil || strings.Contains(errorsOf(fs)["Budget"], "renamed") ||
		!strings.Contains(errorsOf(fs)["Budget"], "run `syncd crm setup`") {
		t.Fatalf("check after the rename aside: %v, %v", errorsOf(fs), err)
	}
	acts, err = a.Setup(ctx, specs, false)
	if err != nil || acts[0].What != "created" || !strings.HasPrefix(acts[0].Detail, "double ") {
		t.Fatalf("setup after the rename aside: %+v, %v", acts, err)
	}
	made := strings.TrimPrefix(acts[0].Detail, "double ")
	if k := keyKept(); k != made {
		t.Errorf("key kept %q, want the new field's %q", k, made)
	}
	if fs, err := a.Check(ctx, specs); err != nil || len(errorsOf(fs)) != 0 {
		t.Fatalf("check after setup: %v, %v", errorsOf(fs), err)
	}
}
