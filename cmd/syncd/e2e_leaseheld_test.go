package main_test

import (
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestOperationsHeldByALeaseAreSaid: a lead's contact being sent (the CRM
// slow to answer), then held by the lease of a daemon killed mid-send,
// which no syncer sends before sync.lease (5 minutes) ends. Before,
// `outbox list` and `status` showed it pending and due in the past with
// nothing saying why it did not go, and `syncd sync` sent nothing and
// exited 0, "everything due was sent". Now list marks it being sent with
// its lease's end, status says how many a lease holds and until when (from
// the daemon's /metrics, and from the database once it is gone), and sync
// says so and exits 6 while the daemon runs (it goes by itself once the
// lease ends), 5 once it is gone (nothing sends it but a person).
func TestOperationsHeldByALeaseAreSaid(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActSlow, Delay: 25 * time.Second})
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead being sent", func() bool { return fake.Faults()[0].Fired > 0 })

	const held = "1 of them held by a lease until "
	waitFor(t, "status from the daemon to say the lease", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", config)
		return strings.Contains(out, held)
	})
	if out, _, code := syncdRun(t, "outbox", "list", "-config", config, "-state", "pending"); code != 0 ||
		!strings.Contains(out, "being sent, lease until ") {
		t.Errorf("outbox list while the contact is sent: exit %d\n%s", code, out)
	}
	if out, stderr, code := syncdRun(t, "sync", "-config", config); code != 6 ||
		!strings.Contains(out, "1 pending operation held by a lease until ") ||
		!strings.Contains(out, "1 pending operation left, each waiting behind another") { // the deal, behind its contact
		t.Errorf("sync beside the daemon sending: exit %d, want 6 and the lease said\n%s%s", code, out, stderr)
	}
	d.stop(t, syscall.SIGKILL) // mid-send: its lease stays

	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 5 || !strings.Contains(out, "0 claimed") || !strings.Contains(out, "1 pending operation held by a lease until ") {
		t.Errorf("sync beside a lease of a killed daemon: exit %d, want 5 and the lease said\n%s%s", code, out, stderr)
	}
	if out, _, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, held) {
		t.Errorf("status from the database: the lease not said\n%s", out)
	}
	if out, _, _ := syncdRun(t, "outbox", "list", "-config", config); !strings.Contains(out, "being sent, lease until ") {
		t.Errorf("outbox list after the kill: the lease not said\n%s", out)
	}
	if s := fake.State(); len(s.Deals) != 0 {
		t.Errorf("the CRM holds %d deals: the contact was not to be sent again", len(s.Deals))
	}
}

// TestSyncBesideALeaderSendingSaysTheLease: on PostgreSQL, `syncd sync`
// beside the sync leader while it sends a lead (the CRM slow to answer)
// said "nudged, it runs in 100ms" and exited 0, though the lead's contact
// could not go before the leader's lease ended. It names the operations a
// lease holds, until when, and exits 6.
func TestSyncBesideALeaderSendingSaysTheLease(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	config := writeCRMConfigOnPort(t, dir, url, true, pgStore(t, dir, dsn))
	d := start(t, config)
	waitFor(t, "the instance to lead the sync", func() bool { return strings.Contains(d.log(), "leading sync") })
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActSlow, Delay: 25 * time.Second})
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead being sent", func() bool { return fake.Faults()[0].Fired > 0 })
	out, stderr, code := syncdRun(t, "sync", "-config", config)
	if code != 6 || !strings.Contains(out, "another instance leads the sync") ||
		!strings.Contains(out, "1 pending operation held by a lease until ") {
		t.Errorf("sync beside a leader sending: exit %d, want 6 and the lease said\n%s%s", code, out, stderr)
	}
	if out, _, _ := syncdRun(t, "status", "-config", config); !strings.Contains(out, "1 of them held by a lease until ") {
		t.Errorf("status beside a leader sending: the lease not said\n%s", out)
	}
	d.stop(t, syscall.SIGKILL)
}
