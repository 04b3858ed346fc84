package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestStatusCheckLineAgreesWithARevokedToken: the account check passed at
// the daemon's start, then Pipedrive refused the token (revoked mid-day by
// an admin): the adapter pauses until the token is fixed. Status said
// "crm check  pipedrive: ok" under "PAUSED ... authentication rejected", as
// if the token had passed a check since; it now says the check passed
// before the CRM refused the token, and how it runs again.
func TestStatusCheckLineAgreesWithARevokedToken(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token"})
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(pipedriveConfig(dir, url), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1) // status asks the daemon
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, errOut, code := syncdRun(t, "crm", "setup", "-config", config); code != 0 {
		t.Fatalf("crm setup: exit %d\n%s%s", code, out, errOut)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	var out string
	var code int
	waitFor(t, "the check at the start to pass", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "crm check     pipedrive: ok")
	})
	fake.AddFault(crmfake.Fault{Path: "/api/**", Action: crmfake.ActError, Status: 401,
		Body: `{"success":false,"error":"unauthorized access","errorCode":401,"error_info":"Please check developers.pipedrive.com"}`})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "status to show the pause", func() bool {
		out, _, code = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "pipedrive: PAUSED until")
	})
	t.Logf("syncd status, exit %d:\n%s", code, out)
	_, line, _ := strings.Cut(out, "\ncrm check")
	line, _, _ = strings.Cut(line, "\n")
	if code != 5 {
		t.Errorf("exit %d, want 5: the adapter is paused", code)
	}
	mustContain(t, "the crm check line", line, "pipedrive: ok when it last ran, at ", "ago), before the CRM refused the token",
		"syncd crm check runs it now")
}
