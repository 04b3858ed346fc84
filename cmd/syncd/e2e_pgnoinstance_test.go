package main_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestNoInstanceOnPostgresIsSaidByEveryCommand: on PostgreSQL with every
// instance stopped, `syncd sync` said that nothing sends what is left,
// but `syncd outbox give-up` said what waits "goes at the daemon's next
// try", `syncd erase -crm` that the CRM erasure is "sent by the daemon's
// syncer", and `syncd status` that the pending leads "go out by
// themselves" once the CRM answers: no instance runs to send them. Each
// says, as on SQLite with no daemon, that they go with syncd sync or once
// an instance is started (not "the daemon": an operator runs several).
func TestNoInstanceOnPostgresIsSaidByEveryCommand(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writePGCRMConfig(t, t.TempDir(), url, dsn)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	// The deal is made before its association and its operation's finish:
	// the outage must not catch the first lead half sent (under load a
	// full run saw give-up leave 2 pending, not 1).
	waitFor(t, "the first lead's operations done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config)) == 0
	})
	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 503}) // every path: an outage
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	second := strings.NewReplacer(`"eaf_id": "77722226661727188822717"`, `"eaf_id": "2"`,
		"support@estateagentfeeds.com", "second@example.com").Replace(string(lead))
	if a, err := post(d.url+"/hooks/eaf/"+e2eEAFToken, []byte(second)); err != nil || a.Status != "accepted" {
		t.Fatalf("post the second lead: %+v %v", a, err)
	}
	waitFor(t, "the instance to find the CRM down", func() bool { return strings.Contains(d.log(), "crm call failed as a whole") })
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	const byThemselves = "go out by themselves"
	out, stderr, code := syncdRun(t, "status", "-config", config)
	if code != 5 || strings.Contains(out, byThemselves) || strings.Contains(out, "retried by itself") ||
		!strings.Contains(out, "no syncd instance runs on this database: nothing sends them by itself") || strings.Contains(out, "the daemon") {
		t.Errorf("status, the CRM failing, no instance: exit %d, want 5 and that nothing sends the leads\n%s%s", code, out, stderr)
	}

	deal := ""
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "deal" {
			deal = fmt.Sprint(op["id"])
		}
	}
	out, stderr, code = syncdRun(t, "outbox", "give-up", "-config", config, deal)
	if code != 0 || !strings.Contains(out, "1 operation still pending: no syncd instance runs on this database, so it goes"+
		" with syncd sync, or once an instance is started") || strings.Contains(out, "daemon") {
		t.Errorf("give-up with no instance: exit %d, want 0 and that nothing sends what is left\n%s%s", code, out, stderr)
	}

	fake.ClearFaults()
	out = syncdOK(t, "erase", "-config", config, "-email", "support@estateagentfeeds.com", "-crm")
	if !strings.Contains(out, "CRM erase queued: 1 operation for hubspot: ") || !strings.Contains(out, " (no syncd instance runs on "+
		"this database: they go with syncd sync, or once an instance is started)\n") || strings.Contains(out, "daemon") {
		t.Errorf("erase -crm with no instance promises an instance's syncer:\n%s", out)
	}
}

// writePGCRMConfig writes into dir the configuration of an instance on
// PostgreSQL (dsn) syncing to the stand-in HubSpot at url, its rate window
// 1 s (a new sync leader waits one), and returns its path.
func writePGCRMConfig(t *testing.T, dir, url, dsn string) string {
	t.Helper()
	yaml := strings.Replace(crmConfig(dir, url, e2eLBToken), "    token: fake-private-app-token",
		"    token: fake-private-app-token\n    window: 1s", 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml+pgStore(t, dir, dsn)), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}
