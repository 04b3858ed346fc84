package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestSyncExitStatusTellsAScript: `syncd sync` from cron or a script says
// by its exit status whether the leads went out (0), wait for a person
// (5: the token rejected, the adapter paused), or go out by themselves
// later (6: the account's daily limit spent). It said 0 to all three.
func TestSyncExitStatusTellsAScript(t *testing.T) {
	fake := crmfake.New(crmfake.Options{Kind: crmfake.KindHubSpot, Token: "the-right-token"})
	fakeURL := fake.Start()
	t.Cleanup(func() { fake.Close() })
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(config, []byte(crmConfig(dir, fakeURL, e2eLBToken)), 0o600) // token: fake-private-app-token
	d := start(t, config)
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, lead); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	sync := func(want int, says string, args ...string) {
		t.Helper()
		out, stderr, code := syncdRun(t, append([]string{"sync", "-config", config}, args...)...)
		if code != want || !strings.Contains(out, says) {
			t.Fatalf("sync %v: exit %d, want %d and %q\n%s%s", args, code, want, says, out, stderr)
		}
	}
	sync(5, "authentication rejected", "-resume") // the token is still wrong
	os.WriteFile(config, []byte(strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "fake-private-app-token", "the-right-token", 1)), 0o600)
	sync(5, "authentication rejected") // still paused: nothing was sent
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActDailyLimit, Uses: 1})
	sync(6, "daily limit reached", "-resume")
	sync(0, "2 done", "-resume")
	if s := fake.State(); len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("after the syncs: %d contacts, %d deals", len(s.Contacts), len(s.Deals))
	}
}
