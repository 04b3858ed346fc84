package main_test

import (
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestNewPipedriveTokenOnReloadResumes: a Pipedrive API token that stops
// working (the user who owned it left, or regenerated it) pauses the
// adapter; the operator writes the new token into the configuration and
// reloads. The daemon took a new token only for HubSpot: for Pipedrive it
// logged "changed setting needs a restart" and kept pausing on the old one.
func TestNewPipedriveTokenOnReloadResumes(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "the-right-token"})
	dir := t.TempDir()
	config := dir + "/syncd.yaml"
	fixed := strings.Replace(pipedriveConfig(dir, url), "fake-pipedrive-token", "the-right-token", 1)
	if err := os.WriteFile(config, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	syncdOK(t, "crm", "setup", "-config", config)                                          // the account's fields, made while the token worked
	if err := os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600); err != nil { // token: fake-pipedrive-token
		t.Fatal(err)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "paused") })

	if err := os.WriteFile(config, []byte(fixed), 0o600); err != nil {
		t.Fatal(err)
	}
	d.cmd.Process.Signal(syscall.SIGHUP)
	waitFor(t, "the reload", func() bool { return strings.Contains(d.log(), `"message":"reloaded"`) })
	waitForRecords(t, fake, d, 1, 1, "the reload with the right token")
	if strings.Contains(d.log(), "changed setting needs a restart") {
		t.Fatalf("a new Pipedrive token asked for a restart:\n%s", d.log())
	}
}
