package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMSetupWithoutWriteScope: a token without the schema write scopes
// (a common first try) makes `syncd crm setup` fail saying which scope to
// add, with no empty table before it (it printed a bare header and
// "crm 403 MISSING_SCOPES: This app hasn't been granted all required
// scopes to make this call.").
func TestCRMSetupWithoutWriteScope(t *testing.T) {
	fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token",
		Scopes: []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
			"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.deals.read"}})
	fakeURL := fake.Start()
	t.Cleanup(func() { fake.Close() })
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(crmConfig(dir, fakeURL, e2eLBToken)), 0o600)

	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	if code != 1 || strings.Contains(out, "OBJECT") {
		t.Fatalf("exit %d, stdout:\n%s", code, out)
	}
	mustContain(t, "setup's error", stderr, "MISSING_SCOPES", "the token needs scope crm.schemas.deals.write")
}
