package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

func mustContain(t *testing.T, what, out string, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(out, w) {
			t.Fatalf("%s: no %q in:\n%s", what, w, out)
		}
	}
}

// TestCRMCheckAndSetupHubSpot: against a fresh stand-in HubSpot account
// the shipped mappings fail the check (exit 2, one row per missing
// property with its fix); the daemon raises the alarm, shown by status,
// and keeps taking webhooks; setup -dry-run changes nothing, setup
// creates the syncd_* properties, a second setup finds them all, and the
// check then passes (exit 0), and so does the daemon's after SIGHUP.
func TestCRMCheckAndSetupHubSpot(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)

	out, _, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (before setup), exit %d:\n%s", code, out)
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	mustContain(t, "check", out, "SEVERITY", "syncd_source", "property syncd_source does not exist on deals", "run `syncd crm setup`")

	d := start(t, config)
	waitFor(t, "the start-up check's alarm", func() bool { return strings.Contains(d.log(), "crm check failed") })
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, lead); err != nil || a.Code != 200 {
		t.Fatalf("intake during a failing check: %+v %v", a, err)
	}
	status, _, _ := syncdRun(t, "status", "-config", config)
	mustContain(t, "status", status, "crm check", "hubspot: FAILING")

	out, _, code = syncdRun(t, "crm", "setup", "-dry-run", "-config", config)
	t.Logf("syncd crm setup -dry-run, exit %d:\n%s", code, out)
	if _, made := fake.Properties("deals")["syncd_source"]; code != 0 || made {
		t.Fatalf("dry run: exit %d, created %v", code, made)
	}
	mustContain(t, "dry run", out, "would create", "syncd_enquiry_at")
	out, _, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s", code, out)
	if p := fake.Properties("deals")["syncd_enquiry_at"]; code != 0 || p.Type != "datetime" || p.GroupName != "syncd" {
		t.Fatalf("setup: exit %d, syncd_enquiry_at %+v", code, p)
	}
	out, _, _ = syncdRun(t, "crm", "setup", "-config", config)
	if strings.Contains(out, " created ") || strings.Contains(out, "would create") {
		t.Fatalf("second setup created something:\n%s", out)
	}
	out, _, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (after setup), exit %d:\n%s", code, out)
	if code != 0 {
		t.Fatalf("check after setup: exit %d\n%s", code, out)
	}
	mustContain(t, "check", out, "hubspot: ok")

	// The running daemon checks again on SIGHUP, and status follows.
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the check after SIGHUP to pass", func() bool { return strings.Contains(d.log(), "crm check passed") })
	status, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status after SIGHUP", status, "hubspot: ok")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// pipedriveConfig syncs to a Pipedrive stand-in with the shipped mappings.
func pipedriveConfig(dir, crmURL string) string {
	maps, _ := filepath.Abs("../../mappings/pipedrive")
	return strings.Replace(configYAML(dir, []string{e2eLBToken}, fmt.Sprintf(`crm:
  kind: pipedrive
  pipedrive:
    base_url: %s
    token: fake-pipedrive-token
sync:
  schedule: "@every 1s"
  prompt_delay: 100ms
`, crmURL)), filepath.Join(filepath.Dir(maps), "hubspot"), maps, 1)
}

// TestCRMCheckAndSetupPipedrive: the shipped Pipedrive mappings name their
// fields, pipeline and stages as a person sees them. Against a fresh
// account the check fails on the missing fields; setup creates them; the
// check passes; then the daemon delivers both example leads to a stand-in
// that refuses untyped values, each value typed for its field.
func TestCRMCheckAndSetupPipedrive(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(pipedriveConfig(dir, fakeURL)), 0o600)

	// Before the daemon's first start: no word of a database not made yet.
	out, stderr, code := syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (before setup), exit %d:\n%s%s", code, out, stderr)
	if code != 2 || stderr != "" {
		t.Fatalf("exit %d, want 2, and stderr %q", code, stderr)
	}
	mustContain(t, "check", out, `no deal field named "syncd enquiry at"`, `no person field named "syncd company"`)
	out, stderr, code = syncdRun(t, "crm", "setup", "-config", config)
	t.Logf("syncd crm setup, exit %d:\n%s%s", code, out, stderr)
	made := "syncd crm setup: no database was there: made the database " + filepath.Join(dir, "data", "syncd.db") + " "
	if code != 0 || !strings.HasPrefix(stderr, made) || strings.Count(stderr, "\n") != 1 { // the keys of its fields kept there
		t.Fatalf("setup: exit %d, stderr %q", code, stderr)
	}
	out, stderr, code = syncdRun(t, "crm", "check", "-config", config)
	t.Logf("syncd crm check (after setup), exit %d:\n%s%s", code, out, stderr)
	if code != 0 || stderr != "" {
		t.Fatalf("check after setup: exit %d, stderr %q", code, stderr)
	}

	d := start(t, config)
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	enquiry, _ := os.ReadFile("../../testdata/webhooks/lokalebasen/enquiry_created.json")
	post(d.url+"/hooks/eaf/"+e2eEAFToken, lead)
	post(d.url+"/hooks/lokalebasen/"+e2eLBToken, enquiry)
	waitFor(t, "two persons and two deals", func() bool {
		s := fake.State()
		return len(s.Contacts) == 2 && len(s.Deals) == 2
	})
	codes := map[string]string{}
	for _, f := range fake.Fields("deal") {
		codes[f.Name] = f.Code
	}
	for _, deal := range fake.State().Deals {
		p := deal.Properties
		if strings.HasPrefix(p["title"], "Lokalebasen") {
			// enquiry type "extra": stage Qualified (id 1), option id of "extra"
			if p["stage_id"] != "1" || p["pipeline_id"] != "1" || p["custom_fields."+codes["syncd enquiry type"]] == "extra" {
				t.Fatalf("lokalebasen deal %v", p)
			}
		} else if p["custom_fields."+codes["syncd enquiry at"]] != "2021-09-06" {
			t.Fatalf("eaf deal %v", p)
		}
	}
}
