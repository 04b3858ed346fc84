package main_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStatusOnEveryInstanceTellsTheCRMIsFailing runs two instances on one
// PostgreSQL database with the CRM answering 503 to every call: since
// when every call fails lived only in the sync leader's memory, so syncd
// status on the other instance, or read from the database where no daemon
// answers (the leader's /metrics out of reach), said "hubspot: running"
// through the outage. Every one says since when it fails, and once the
// CRM answers again none does.
func TestStatusOnEveryInstanceTellsTheCRMIsFailing(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	var configs []string
	var first *daemon
	for i := range 3 { // the third is never started: its status reads the database
		dir := t.TempDir()
		yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		file := filepath.Join(dir, "syncd.yaml")
		os.WriteFile(file, []byte(yaml+pgStore(t, dir, dsn)), 0o600)
		configs = append(configs, file)
		switch i {
		case 0:
			first = start(t, file)
		case 1:
			start(t, file)
		}
	}
	postTestdata(t, first, "eaf/email_lead.json")
	waitFor(t, "the first lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })

	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, first, "lokalebasen/enquiry_created.json")
	for i, file := range configs {
		var out string
		waitFor(t, fmt.Sprintf("status of instance %d to tell the CRM fails", i), func() bool {
			out, _, _ = syncdRun(t, "status", "-config", file)
			return strings.Contains(out, "hubspot: running; every CRM call failing since ") ||
				strings.Contains(out, "hubspot: not paused; every CRM call failing since ")
		})
		mustContain(t, "status", out, "cluster: 2 instance(s)")
	}

	fake.ClearFaults()
	for i, file := range configs {
		waitFor(t, fmt.Sprintf("status of instance %d to tell the CRM answers again", i), func() bool {
			out, _, _ := syncdRun(t, "status", "-config", file)
			return strings.Contains(out, "cluster: 2 instance(s)") && !strings.Contains(out, "failing since") &&
				strings.Contains(out, "hubspot: 0 pending")
		})
	}
}

// TestNewSyncLeaderClearsAStoredCRMFailing: a sync leader stopped during
// an outage leaves behind since when every call failed; the instance that
// leads sync next, the CRM answering it, clears it, so status no longer
// tells of an outage that is over.
func TestNewSyncLeaderClearsAStoredCRMFailing(t *testing.T) {
	t.Parallel()
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetStateValue(context.Background(), "crm_failing:hubspot", syncd.FormatTime(time.Now().Add(-time.Hour)))
	db.Close()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
	file := filepath.Join(dir, "syncd.yaml")
	os.WriteFile(file, []byte(yaml+pgStore(t, dir, dsn)), 0o600)
	d := start(t, file)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })
	waitFor(t, "status to tell no outage", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", file)
		return strings.Contains(out, "cluster: 1 instance(s)") && strings.Contains(out, "hubspot: running\n")
	})
}
