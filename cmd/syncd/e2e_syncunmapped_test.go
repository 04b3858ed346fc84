package main_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// intake is the receiver's store of deliveries, on SQLite or PostgreSQL.
type intake interface {
	Run(ctx context.Context) error
	Store(ctx context.Context, inc syncd.Incoming) (syncd.Receipt, error)
}

// storeUnmapped stores the Estate Agent Feeds lead of testdata/webhooks
// file, under the delivery key key, in the database of a configuration in
// dir as the receiver does, not mapped yet: what a daemon leaves when it
// stops (or is killed) between storing a lead and its mapping pass, or
// what its mapper has not reached when syncd sync runs right after the
// lead arrived.
func storeUnmapped(t *testing.T, dir, file, key string) {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storeWith(t, db.NewIntake(sqlite.IntakeOptions{}), file, key)
}

// storeWith stores file's lead under key with in, as storeUnmapped.
func storeWith(t *testing.T, in intake, file, key string) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("../../testdata/webhooks", file))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { in.Run(run); close(done) }()
	defer func() { stop(); <-done }()
	if _, err := in.Store(ctx, syncd.Incoming{Source: "eaf", Kind: syncd.KindEAF, Type: "email_lead",
		Key: key, Body: body, Parse: syncd.ParseStrict, ReceivedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
}

// TestSyncSendsALeadNotMappedYet: a lead stored but not mapped yet (the
// daemon maps in passes, a moment after it stores; here none runs) and
// syncd sync run at once. It said "0 claimed", exit 0, "everything due was
// sent", and sent nothing: the operator took the lead for lost or the
// mapping for broken. It maps what waits to be mapped first, says so, and
// sends it. With mapping files that do not load it cannot: it says how
// many leads wait unmapped and why, exit 5 (a person must act).
func TestSyncSendsALeadNotMappedYet(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	storeUnmapped(t, dir, "eaf/email_lead.json", "eaf:1")

	out, errOut, code := syncdRun(t, "sync", "-config", config)
	if s := fake.State(); code != 0 || len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("sync right after the lead was stored: exit %d, %d contacts, %d deals in the CRM, want 0, 1 and 1\n%s%s",
			code, len(s.Contacts), len(s.Deals), out, errOut)
	}
	mustContain(t, "sync right after the lead was stored", out, "mapped 1 event waiting to be mapped: 2 new operations", "2 claimed, 2 done")

	// The mapping files do not load (Pipedrive's, for HubSpot): nothing is
	// mapped, and it says so rather than "0 claimed" alone.
	yaml, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(yaml), "/mappings/hubspot", "/mappings/pipedrive", 1)
	if broken == string(yaml) {
		t.Fatal("the configuration names no /mappings/hubspot")
	}
	if err := os.WriteFile(config, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	storeUnmapped(t, dir, "eaf/email_lead.json", "eaf:2")
	out, errOut, code = syncdRun(t, "sync", "-config", config)
	if code != 5 {
		t.Errorf("sync with mapping files that do not load and a lead waiting: exit %d, want 5\n%s%s", code, out, errOut)
	}
	mustContain(t, "sync with mapping files that do not load", out,
		"1 event received is not mapped yet, so not sent: the mapping files in ", "do not load (syncd validate says why)")

	// Fixed, the next sync maps it (the same lead again: nothing new to send).
	if err := os.WriteFile(config, yaml, 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = syncdRun(t, "sync", "-config", config)
	if code != 0 || !strings.Contains(out, "mapped 1 event waiting to be mapped") || strings.Contains(out, "not mapped yet") {
		t.Errorf("sync once the mapping files load: exit %d\n%s%s", code, out, errOut)
	}
}

// TestSyncSendsALeadNotMappedYetOnPostgres is TestSyncSendsALeadNotMappedYet
// on PostgreSQL, with no instance running.
func TestSyncSendsALeadNotMappedYetOnPostgres(t *testing.T) {
	t.Parallel()
	notInShort(t, longOnPostgres) // 11 s, most of it sync's wait of one CRM rate window
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true, pgStore(t, dir, dsn))
	storeWith(t, db.NewIntake(postgres.IntakeOptions{}), "eaf/email_lead.json", "eaf:1")

	out, errOut, code := syncdRun(t, "sync", "-config", config)
	if s := fake.State(); code != 0 || len(s.Contacts) != 1 || len(s.Deals) != 1 {
		t.Fatalf("sync right after the lead was stored: exit %d, %d contacts, %d deals in the CRM, want 0, 1 and 1\n%s%s",
			code, len(s.Contacts), len(s.Deals), out, errOut)
	}
	mustContain(t, "sync right after the lead was stored", out, "mapped 1 event waiting to be mapped: 2 new operations", "2 claimed, 2 done")
}
