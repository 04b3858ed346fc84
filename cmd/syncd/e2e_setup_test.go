package main_test

import (
	"io"
	"net"
	"net/http"
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
	t.Parallel()
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token",
		Scopes: []string{"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
			"crm.objects.deals.write", "crm.schemas.contacts.read", "crm.schemas.deals.read"}})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)

	out, stderr, code := syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	if code != 1 || strings.Contains(out, "OBJECT") {
		t.Fatalf("exit %d, stdout:\n%s", code, out)
	}
	mustContain(t, "setup's error", stderr, "MISSING_SCOPES", "the token needs scope crm.schemas.deals.write")
}

// TestFakeCRMRefusesPropertiesTheAccountLacks: the stand-in HubSpot that
// `syncd fakecrm` runs answers a write to a property the account does not
// have as HubSpot does, 400 PROPERTY_DOESNT_EXIST, until `syncd crm setup`
// has created it. (It took any property, so a local trial synced leads
// that a real account would refuse, beside a failing `crm check`.)
func TestFakeCRMRefusesPropertiesTheAccountLacks(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	fake := syncdCmd("fakecrm", "-listen", addr, "-kind", "hubspot")
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Process.Kill(); fake.Wait() })
	waitFor(t, "fakecrm to listen", func() bool {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	upsert := func() (int, string) {
		body := `{"inputs":[{"id":"L-1","idProperty":"syncd_lead_id","properties":{"dealname":"x","syncd_lead_id":"L-1","syncd_source":"eaf"}}]}`
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/crm/v3/objects/deals/batch/upsert", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer anything")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := upsert(); code != 400 || !strings.Contains(body, "PROPERTY_DOESNT_EXIST") {
		t.Fatalf("a property the account lacks: %d %s", code, body)
	}
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(crmConfig(dir, "http://"+addr, e2eLBToken)), 0o600)
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("setup: exit %d\n%s%s", code, out, stderr)
	}
	if code, body := upsert(); code != 200 {
		t.Fatalf("after setup: %d %s", code, body)
	}
}
