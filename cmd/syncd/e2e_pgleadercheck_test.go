package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestNewSyncLeaderSendsWhileItsCheckHangs: on PostgreSQL the new sync
// leader ran its account check and only then the syncer, so a CRM whose
// account reads hang (accepted, never answered) held the first sync for
// each read's four attempts times crm.timeout, and the account read again
// twice after it (a minute with a 2 s timeout, by hand), while the leads
// waited. The check runs beside the syncer, as on a single instance: the
// lead goes out while the check's reads still hang.
func TestNewSyncLeaderSendsWhileItsCheckHangs(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "  kind: hubspot\n",
		"  kind: hubspot\n  timeout: 10s\n", 1)
	yaml = strings.Replace(yaml, "    token: fake-private-app-token\n", "    token: fake-private-app-token\n    window: 1s\n", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := syncdCmd("crm", "setup", "-config", config).CombinedOutput(); err != nil {
		t.Fatalf("crm setup: %v\n%s", err, out)
	}
	// The check's reads, not the syncer's writes, nor the account read
	// before the first write (the account the CRM ids are made in
	// recorded, or pinned, every write waits for it:
	// TestMovedAccountErasesNoStrangerAfterASlowCheck).
	for _, path := range []string{"/oauth/**", "/crm/v3/properties/**", "/crm/v3/pipelines/**", "/crm/v3/owners**"} {
		fake.AddFault(crmfake.Fault{Path: path, Action: crmfake.ActHang})
	}
	d := start(t, config)
	waitFor(t, "the instance to lead the sync", func() bool { return strings.Contains(d.log(), "leading sync") })
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead in the CRM", func() bool { s := fake.State(); return len(s.Contacts) == 1 && len(s.Deals) == 1 })
	if strings.Contains(d.log(), `"crm check`) {
		t.Fatalf("the lead went out only after the account check ended:\n%s", d.log())
	}
}
