package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestSyncBesideTheLeaderSaysWhenItRuns: on PostgreSQL, `syncd sync`
// beside the instance that leads the sync nudges it; what it prints must
// be true. With sync.prompt_delay 0s the leader ignores nudges and runs on
// its schedule, and a new leader first waits one CRM rate window: the
// command says so. (It said "it was nudged to run now" whatever the
// leader would do.)
func TestSyncBesideTheLeaderSaysWhenItRuns(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), `schedule: "@every 1s"
  prompt_delay: 100ms`, `schedule: "@every 1h"
  prompt_delay: 0s`, 1)
	yaml = strings.Replace(yaml, "    token: fake-private-app-token", "    token: fake-private-app-token\n    window: 1s", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	waitFor(t, "the instance to lead the sync", func() bool { return strings.Contains(d.log(), "leading sync") })
	out, err := syncdCmd("sync", "-config", config).CombinedOutput()
	if err != nil {
		t.Fatalf("sync beside the leader: %v\n%s", err, out)
	}
	mustContain(t, "sync beside a leader with prompt runs off", string(out), "another instance leads the sync",
		"prompt runs are off (sync.prompt_delay 0s), it runs on sync.schedule (@every 1h)",
		"one CRM rate window (1s)")
	if strings.Contains(string(out), "run now") {
		t.Errorf("sync says the leader runs now, which it does not:\n%s", out)
	}
}

// TestLeadingSyncLogNamesTheWaitUnit: the line a new sync leader logs
// gives its wait as wait_ms, in milliseconds like every other duration
// field (took_ms); it was "wait":1000 with no unit.
func TestLeadingSyncLogNamesTheWaitUnit(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	_, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "    token: fake-private-app-token",
		"    token: fake-private-app-token\n    window: 1500ms", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	waitFor(t, "the instance to lead the sync", func() bool { return lastInfoLine(t, d.log(), "leading sync") != nil })
	line := lastInfoLine(t, d.log(), "leading sync")
	if _, bare := line["wait"]; bare || line["wait_ms"] != 1500.0 {
		t.Errorf("leading sync line %v, want wait_ms 1500 and no wait", line)
	}
}

// TestSyncBesideAPausedLeader: on PostgreSQL, with the sync leader's
// adapter paused on a rejected token, `syncd sync` beside it says so, how
// the pause ends, and exits 5 (a person must act), as it does on SQLite;
// it said the leader "was nudged to run now" and exited 0. Then `syncd
// sync -resume` lifts the pause and nudges the leader, which follows it:
// it logs the lift and sends the waiting lead.
func TestSyncBesideAPausedLeader(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/**", Action: crmfake.ActError, Status: 401, Uses: 1})
	dir := t.TempDir()
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "    token: fake-private-app-token",
		"    token: fake-private-app-token\n    window: 1s", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the adapter to pause on 401", func() bool { return strings.Contains(d.log(), "crm adapter paused") })

	out, _, code := syncdRun(t, "sync", "-config", config)
	if code != 5 {
		t.Errorf("sync beside a paused leader: exit %d, want 5", code)
	}
	mustContain(t, "sync beside a paused leader", out, "another instance leads the sync, but the adapter is paused until",
		"authentication rejected", "once fixed, run: syncd sync -resume")

	resumeBesideLeader(t, config)
	waitForRecords(t, fake, d, 1, 1, "sync -resume")
	waitFor(t, "the leader to log the lifted pause", func() bool {
		return strings.Contains(d.log(), "adapter pause lifted by another process")
	})
}

// resumeBesideLeader runs `syncd sync -resume` with config beside a sync
// leader on PostgreSQL, which it nudges. The nudged leader (100 ms) may be
// sending the lead already when the command looks at what is left: then
// it says so, and exit 6 (goes out by itself) is as true as 0.
func resumeBesideLeader(t *testing.T, config string) {
	t.Helper()
	out, _, code := syncdRun(t, "sync", "-resume", "-config", config)
	sending := code == 6 && strings.Contains(out, "held by a lease")
	if code != 0 && !sending || !strings.Contains(out, "nudged, it runs in 100ms (sync.prompt_delay)") {
		t.Fatalf("sync -resume beside the leader: exit %d\n%s", code, out)
	}
}
