package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEveryInstanceKilledIsSaidAtOnce: two instances on PostgreSQL, both
// killed (kill -9, a crash): their rows stay 30 s, and for those 30 s
// syncd status listed them silent yet exited 0, with no word that none
// ran, and erase -crm said the instance leading sync would send the CRM
// erasure. Status now says NONE RUNS (exit 5), and erase -crm that no
// instance runs, as once the rows are gone: at once, their database
// sessions gone with them.
func TestEveryInstanceKilledIsSaidAtOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	cfgs := []string{writePGCRMConfig(t, t.TempDir(), url, dsn), writePGCRMConfig(t, t.TempDir(), url, dsn)}
	syncdOK(t, "crm", "setup", "-config", cfgs[0]) // the account ready: status has nothing else to say
	a, b := start(t, cfgs[0]), start(t, cfgs[1])
	postTestdata(t, a, "eaf/email_lead.json")
	waitForRecords(t, fake, a, 1, 1, "the lead")
	waitFor(t, "the lead's operations done", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", cfgs[1])) == 0
	})
	a.stop(t, syscall.SIGKILL)
	b.stop(t, syscall.SIGKILL)
	killed := time.Now()

	out, errOut, code := syncdRun(t, "status", "-config", cfgs[0])
	if code != 5 || !strings.Contains(out, "NONE RUNS: all 2 are gone (their database sessions have ended: killed or crashed)") {
		t.Errorf("status, every instance killed: exit %d, want 5 and NONE RUNS\n%s%s", code, out, errOut)
	}
	out, errOut, code = syncdRun(t, "erase", "-config", cfgs[1], "-email", "support@estateagentfeeds.com", "-crm")
	if !strings.Contains(out, "CRM erase queued: 1 operation for hubspot: ") || !strings.Contains(out, " (no syncd instance runs on "+
		"this database: they go with syncd sync, or once an instance is started)\n") {
		t.Errorf("erase -crm, every instance killed: exit %d, want it said that no instance runs\n%s%s", code, out, errOut)
	}
	if since := time.Since(killed); since > 10*time.Second {
		t.Logf("the commands ran %s after the kills: the rows may have been silent for over 10 s", since)
	}
}
