package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestReloadChecksTheCRMOnceForTheFleet: the README says the CRM account
// check runs on the sync leader, so that one client spends the CRM's rate
// budget; but a reload (systemctl reload on every host) made every
// instance run the check, all at once: three instances, three checks
// against a budget the leader was syncing within. Only the sync leader
// checks again after a reload.
func TestReloadChecksTheCRMOnceForTheFleet(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	checks := func() int { return fake.CountRequests("GET", "/crm/v3/pipelines/deals", 0) } // one per check
	var ds []*daemon
	for range 3 {
		dir := t.TempDir()
		file := filepath.Join(dir, "syncd.yaml")
		cfg := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "token: fake-private-app-token",
			"token: fake-private-app-token\n    window: 1s", 1) + pgStore(t, dir, dsn)
		os.WriteFile(file, []byte(cfg), 0o600)
		ds = append(ds, start(t, file))
	}
	waitFor(t, "the sync leader's check at its start", func() bool { return checks() == 1 })
	time.Sleep(2 * time.Second) // no other instance checks at its start
	for _, d := range ds {
		if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	for i, d := range ds {
		waitFor(t, fmt.Sprintf("instance %d to reload", i), func() bool { return strings.Contains(d.log(), `"reloaded"`) })
	}
	waitFor(t, "the leader's check after the reload", func() bool { return checks() >= 2 })
	time.Sleep(2 * time.Second) // what the others would have sent by now
	if n := checks(); n != 2 {
		t.Fatalf("%d account checks after the start and one reload of 3 instances, want 2 (the leader's)", n)
	}
}
