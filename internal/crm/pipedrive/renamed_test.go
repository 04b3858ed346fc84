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

// TestPipedriveFieldRenamedAfterCheck: a field the check found by its name
// (made by hand, or by a setup before keys were kept) and then renamed in
// Pipedrive is named as renamed by the next check, and setup makes no
// second field of the old name; without a place to keep keys, the check
// says what it always did.
func TestPipedriveFieldRenamedAfterCheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv, a, _ := setup(t, crmfake.Options{}, pipedrive.Options{Keys: db})
	key := srv.AddField("deal", crmfake.Field{Name: "Budget", Type: "double"})
	specs := []syncd.FieldSpec{{Kind: syncd.RecordDeal, Name: "Budget", Type: "double", Where: "deals.yaml:3"}}
	if fs, err := a.Check(ctx, specs); err != nil || len(errorsOf(fs)) != 0 {
		t.Fatalf("check before the rename: %+v, %v", fs, err)
	}
	req, _ := http.NewRequest(http.MethodPatch, srv.BaseURL()+"/dealFields/"+key, strings.NewReader(`{"field_name":"Budget (DKK)"}`))
	req.Header.Set("x-api-token", token)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("rename: %v, %v", resp, err)
	}
	fs, err := a.Check(ctx, specs)
	want := `deal field "Budget" was renamed to "Budget (DKK)" in Pipedrive (key ` + key + `) | rename it back in Pipedrive, or write "Budget (DKK)" in deals.yaml:3`
	if err != nil || errorsOf(fs)["Budget"] != want {
		t.Fatalf("check after the rename: %v, %v\nwant %s", errorsOf(fs), err, want)
	}
	acts, err := a.Setup(ctx, specs, false)
	if err != nil || len(acts) != 2 || acts[0].What != "cannot create" || !strings.Contains(acts[0].Detail, "renamed") {
		t.Fatalf("setup after the rename: %+v, %v", acts, err)
	}
	for _, f := range srv.Fields("deal") {
		if f.Name == "Budget" {
			t.Fatalf("setup made a second field %+v", f)
		}
	}
	_, plain, _ := setup(t, crmfake.Options{}, pipedrive.Options{})
	if fs, _ := plain.Check(ctx, specs); !strings.Contains(errorsOf(fs)["Budget"], "run `syncd crm setup`") {
		t.Fatalf("check without kept keys: %v", errorsOf(fs))
	}
}
