package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestFailingCheckAlarmSaysLeadsStillGo: the daemon's check at start
// fails on a field of another type than declared (a Pipedrive enum made
// by hand as text), which the CRM still takes values into. The leads go
// out all the same; the alarm said "leads wait in the outbox", which an
// operator reads as nothing sent. It says what really happens.
func TestFailingCheckAlarmSaysLeadsStillGo(t *testing.T) {
	t.Parallel()
	fake, _, d := startOnAFieldOfAnotherType(t)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitForRecords(t, fake, d, 1, 1, "the lead")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var alarm string
	for _, l := range strings.Split(d.log(), "\n") {
		if strings.Contains(l, "crm check failed") {
			alarm = l
		}
	}
	t.Logf("alarm: %s", alarm)
	if strings.Contains(alarm, "leads wait in the outbox") || !strings.Contains(alarm, "leads still go out") {
		t.Fatalf("the alarm does not say that leads still go out:\n%s", alarm)
	}
}

// startOnAFieldOfAnotherType starts a daemon on a stand-in Pipedrive
// whose deal field "syncd enquiry type" was made by hand as text, where the
// mappings declare an enum (it still takes their values), and returns
// once its check at start has failed on it, with the configuration.
func startOnAFieldOfAnotherType(t *testing.T) (*crmfake.Server, string, *daemon) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindPipedrive, Token: "fake-pipedrive-token", StrictSchema: true})
	fake.AddField("deal", crmfake.Field{Name: "syncd enquiry type", Type: "varchar"})
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(pipedriveConfig(dir, url)), 0o600)
	// The field of another type is a row setup cannot fix: not done, exit 2;
	// every other row it made.
	if out, stderr, code := syncdRun(t, "crm", "setup", "-config", config); code != 2 || !strings.Contains(out, "cannot fix") {
		t.Fatalf("crm setup: exit %d, want 2 naming the field it cannot fix\n%s%s", code, out, stderr)
	}
	d := start(t, config)
	waitFor(t, "the start-up check's alarm", func() bool { return strings.Contains(d.log(), "crm check failed") })
	return fake, config, d
}
