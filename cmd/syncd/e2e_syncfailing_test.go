package main_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncRunsKeepWhenTheCRMFirstFailed: with no daemon serving the
// database, `syncd sync` runs against a CRM that does not answer kept
// nothing of it: syncd status said nothing of the CRM failing, and the
// "failing since" a run found was its own, not the outage's. The first
// failure's time (here the daemon's, stopped in the outage) is kept
// across runs, and status tells it, until a call goes through.
func TestSyncRunsKeepWhenTheCRMFirstFailed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	config := leadWithTheCRMDown(t)
	dir := filepath.Dir(config) // the configuration's and the database's
	since := regexp.MustCompile(`every CRM call failing since [^,;]*\)`)
	var first string
	for run := 1; run <= 2; run++ {
		if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 5 {
			t.Fatalf("sync %d, the CRM down: exit %d, want 5\n%s%s", run, code, out, stderr)
		}
		out, _, _ := syncdRun(t, "status", "-config", config)
		got := since.FindString(out)
		if got == "" || !strings.Contains(out, "tried again by syncd sync or once the daemon is started") {
			t.Fatalf("status after sync %d, the CRM down: nothing of it failing\n%s", run, out)
		}
		got = got[:strings.Index(got, " (")] // without "(5s ago)"
		if first == "" {
			first = got
		} else if got != first {
			t.Errorf("status after sync %d: %q, want the first failure's %q", run, got, first)
		}
	}
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config = writeCRMConfigOnPort(t, dir, url, true) // the CRM back
	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 0 {
		t.Fatalf("sync, the CRM back: exit %d\n%s%s", code, out, stderr)
	}
	if c, _ := fake.Count(); c != 1 {
		t.Errorf("the CRM back: %d contacts, want 1", c)
	}
	if out, _, _ := syncdRun(t, "status", "-config", config); strings.Contains(out, "failing since") {
		t.Errorf("status once a call went through still tells the CRM failing:\n%s", out)
	}
}
