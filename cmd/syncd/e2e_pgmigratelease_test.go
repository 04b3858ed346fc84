package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestMigrateStoreCopiesNoLease: the SQLite daemon stopped hard while it
// was sending a lead (kill -9, a power cut) leaves its operations leased
// for sync.lease. syncd migrate-store copied those leases into
// PostgreSQL, where the process that held them never runs: the new
// cluster's outbox list said "being sent, lease until ..." and nothing sent
// the lead until the lease ran out. Now the copy releases them: the
// operations are pending, no lease, and the cluster sends them at once.
func TestMigrateStoreCopiesNoLease(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	dir := t.TempDir()
	fake, url := startFakeCRM(t, crmfake.Options{})
	lite := writeCRMConfigOnPort(t, dir, url, true)
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/**", Action: crmfake.ActSlow, Delay: 20 * time.Second})
	d := start(t, lite)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead being sent", func() bool { return fake.Faults()[0].Fired > 0 })
	d.stop(t, syscall.SIGKILL)
	fake.ClearFaults()
	leased := func(config string) int {
		n := 0
		for _, op := range syncdJSON(t, "outbox", "list", "-json", "-config", config) {
			if op["lease_until"] != nil {
				n++
			}
		}
		return n
	}
	if leased(lite) == 0 {
		t.Fatal("no operation leased on SQLite after the kill: the test shows nothing")
	}

	pg := filepath.Join(dir, "postgres.yaml")
	cfg, _ := os.ReadFile(lite)
	os.WriteFile(pg, append(cfg, []byte(pgStore(t, dir, dsn))...), 0o600)
	if out := syncdOK(t, "migrate-store", "-to", "postgres", "-config", pg); !strings.Contains(out, "events     1 row") {
		t.Fatalf("migrate-store: %s", out)
	}
	if n := leased(pg); n != 0 {
		out, _, _ := syncdRun(t, "outbox", "list", "-config", pg)
		t.Fatalf("%d operation(s) copied leased, by a process that never runs on PostgreSQL:\n%s", n, out)
	}
	d = start(t, pg)
	waitFor(t, "the lead in the CRM from PostgreSQL, before the lease copied would end", func() bool {
		s := fake.State()
		return len(s.Contacts) == 1 && len(s.Deals) == 1
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}
