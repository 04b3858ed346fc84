package main_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
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
		file := writeCRMConfigOnPort(t, dir, fakeURL, false, pgStore(t, dir, dsn))
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
		mustContain(t, "status", out, "cluster: 2 instances")
	}

	fake.ClearFaults()
	for i, file := range configs {
		waitFor(t, fmt.Sprintf("status of instance %d to tell the CRM answers again", i), func() bool {
			out, _, _ := syncdRun(t, "status", "-config", file)
			return strings.Contains(out, "cluster: 2 instances") && !strings.Contains(out, "failing since") &&
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
	notInShort(t, longOnPostgres)
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.SetCRMFailing(context.Background(), "hubspot", time.Now().Add(-time.Hour), time.Now().Add(-time.Minute), "")
	db.Close()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	file := writeCRMConfigOnPort(t, dir, fakeURL, false, pgStore(t, dir, dsn))
	d := start(t, file)
	postTestdata(t, d, "eaf/email_lead.json")
	waitFor(t, "the lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })
	waitFor(t, "status to tell no outage", func() bool {
		out, _, _ := syncdRun(t, "status", "-config", file)
		return strings.Contains(out, "cluster: 1 instance") && strings.Contains(out, "hubspot: running\n")
	})
}

// TestLostSyncLeadEndsTheCRMFailingItTold: a sync leader cut off from the
// database during a CRM outage loses the lead to another instance, which
// sends what waited once the CRM answers again; the first one, reachable
// again, kept telling on /metrics (and systemctl status) since when every
// CRM call had failed, for good: the README's "CRM down" alert fired on
// it after the outage was over. An instance that no longer leads sync
// tells of no CRM failing.
func TestLostSyncLeadEndsTheCRMFailingItTold(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	var links [2]*dbLink
	var ds [2]*daemon
	var configs [2]string
	for i := range 2 {
		links[i] = newDBLink(t, u.Host)
		via := *u
		via.Host = links[i].addr
		dir := t.TempDir()
		yaml := strings.Replace(crmConfig(dir, fakeURL, e2eLBToken), "listen: 127.0.0.1:0", "listen: "+freeAddr(t), 1)
		configs[i] = filepath.Join(dir, "syncd.yaml")
		os.WriteFile(configs[i], []byte(yaml+pgStore(t, dir, via.String())), 0o600)
		ds[i] = start(t, configs[i])
	}
	postTestdata(t, ds[0], "eaf/email_lead.json")
	waitFor(t, "the first lead in the CRM", func() bool { return len(fake.State().Contacts) == 1 })

	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 503})
	postTestdata(t, ds[0], "lokalebasen/enquiry_created.json")
	const cleared = `syncd_crm_failing_since_timestamp_seconds{adapter="hubspot"} 0` + "\n"
	leader := -1
	waitFor(t, "the sync leader to tell the CRM fails", func() bool {
		for i, d := range ds {
			if m := metricsText(t, d.url); strings.Contains(m, "syncd_crm_failing_since_timestamp_seconds") && !strings.Contains(m, cleared) {
				leader = i
				return true
			}
		}
		return false
	})

	// The leader tells of the outage once it recorded that the failed
	// operations wait (their lease ended); cut off before that, it would
	// hold them for sync.lease (5 minutes, as the README says), longer
	// than any wait here. Cut it once it holds none.
	waitFor(t, "the sync leader to release the operations the CRM failed", func() bool {
		var pending, leased int
		pgQuery(t, dsn, func(ctx context.Context, conn *pgx.Conn) error {
			return conn.QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE lease_until IS NOT NULL)
				FROM outbox WHERE state = 'pending'`).Scan(&pending, &leased)
		})
		return pending > 0 && leased == 0
	})
	links[leader].cut()
	other := 1 - leader
	waitFor(t, "the other instance to lead sync", func() bool {
		return strings.Contains(ds[other].log(), `"message":"leading sync"`)
	})
	fake.ClearFaults()
	waitFor(t, "the lead that waited in the CRM", func() bool { return len(fake.State().Contacts) == 2 })
	links[leader].mend(t)
	waitFor(t, "the former leader to tell no CRM failing", func() bool {
		return strings.Contains(metricsText(t, ds[leader].url), cleared)
	})
	out, _, _ := syncdRun(t, "status", "-config", configs[leader])
	if strings.Contains(out, "failing since") {
		t.Errorf("status on the former leader once the CRM answers:\n%s", out)
	}
}
