package main_test

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestCRMCheckReadsTheAccountOnce: crm check on a pinned HubSpot account,
// with mappings that write a deal's amount without its currency, read the
// account's details three times: for its first line, for the pinned
// account's row and for the currency warning, so a CRM slow to answer
// made the check wait three times as long. It reads them once now, and
// still says all three.
func TestCRMCheckReadsTheAccountOnce(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token", AccountID: 7654321})
	dir := t.TempDir()
	maps := filepath.Join(dir, "mappings")
	if err := os.MkdirAll(maps, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"eaf.yaml", "lokalebasen.yaml"} {
		b, err := os.ReadFile(filepath.Join("../../mappings/hubspot", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "lokalebasen.yaml" {
			b = []byte(strings.Replace(string(b), "      pipeline: {const: default, write: create}\n",
				"      pipeline: {const: default, write: create}\n      amount: {const: 1000}\n", 1))
		}
		if err := os.WriteFile(filepath.Join(maps, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	abs, _ := filepath.Abs("../../mappings/hubspot")
	cfg := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "  dir: "+abs+"\n", "  dir: "+maps+"\n", 1)
	cfg = strings.Replace(cfg, "    token: fake-private-app-token\n", "    token: fake-private-app-token\n    hub_id: 7654321\n", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "crm check", out, "hub id 7654321 (app-eu1.hubspot.com, STANDARD, UTC): the pinned account (crm.hubspot.hub_id)",
		"writes a deal amount without deal_currency_code")
	if n := fake.CountRequests(http.MethodGet, "/account-info/", 0); n != 1 {
		t.Errorf("crm check read the account's details %d times; want once", n)
	}
}

// TestPipedriveCRMCheckReadsTheUserOnce: on Pipedrive, crm check on a
// pinned company read the token's user (GET /v1/users/me) for its first
// line, for the pinned account's row and for its own findings (a regular
// user's token, a value without currency). It reads it once now.
func TestPipedriveCRMCheckReadsTheUserOnce(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", AccountID: 7654321})
	dir := t.TempDir()
	cfg := strings.Replace(pipedriveConfig(dir, fakeURL), "    token: fake-pipedrive-token\n", "    token: fake-pipedrive-token\n    company_id: 7654321\n", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check, exit %d:\n%s%s", code, out, stderr)
	mustContain(t, "crm check", out, "company 7654321", "the pinned account (crm.pipedrive.company_id)")
	if n := fake.CountRequests(http.MethodGet, "/api/v1/users/me", 0); n != 1 {
		t.Errorf("crm check read the token's user %d times; want once", n)
	}
}
