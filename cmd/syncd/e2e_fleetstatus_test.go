package main_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/postgres"
	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestStatusOnEveryInstanceShowsTheLeadersWork runs two instances on one
// database: syncd status run on either host says when the sync leader last
// synced, when the report leader last made a report, and that the CRM
// adapter is paused once the leader paused it. An instance that led
// neither said "last sync: never", "last report: never" and "running",
// from its own metrics, while its sync leader was paused on a rejected token.
func TestStatusOnEveryInstanceShowsTheLeadersWork(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("two instances: not in -short")
	}
	dsn := pgtest.DSN(t)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	db, err := postgres.Open(context.Background(), dsn) // installed days ago: yesterday's report is due at once
	if err != nil {
		t.Fatal(err)
	}
	db.SetStateValue(context.Background(), "installed_at", syncd.FormatTime(time.Now().Add(-72*time.Hour)))
	db.Close()
	var configs []string
	var first *daemon
	for i := range 2 {
		dir := t.TempDir()
		file := writeCRMConfigOnPort(t, dir, fakeURL, false, "report: {schedule: \"@every 1s\"}\n", pgStore(t, dir, dsn))
		configs = append(configs, file)
		if d := start(t, file); i == 0 {
			first = d
		}
	}
	lead, _ := os.ReadFile("../../testdata/webhooks/eaf/email_lead.json")
	if a, err := post(first.url+"/hooks/eaf/"+e2eEAFToken, lead); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	synced := regexp.MustCompile(`last sync +hubspot: 20\d\d-`)
	reported := regexp.MustCompile(`last report +20\d\d-`)
	for i, file := range configs {
		var status string
		waitFor(t, fmt.Sprintf("status on instance %d to show the sync and the report", i), func() bool {
			status, _, _ = syncdRun(t, "status", "-config", file)
			return synced.MatchString(status) && reported.MatchString(status) && strings.Contains(status, "cluster: 2 instances")
		})
		mustContain(t, "status", status, "running since", "hubspot: running")
	}

	fake.AddFault(crmfake.Fault{Action: crmfake.ActError, Status: 401})
	second := strings.NewReplacer(`"eaf_id": "77722226661727188822717"`, `"eaf_id": "2"`,
		"support@estateagentfeeds.com", "second@example.com").Replace(string(lead))
	if a, err := post(first.url+"/hooks/eaf/"+e2eEAFToken, []byte(second)); err != nil || a.Code != 200 {
		t.Fatalf("post: %+v %v", a, err)
	}
	for i, file := range configs {
		var status string
		waitFor(t, fmt.Sprintf("status on instance %d to show the pause", i), func() bool {
			status, _, _ = syncdRun(t, "status", "-config", file)
			return strings.Contains(status, "hubspot: PAUSED until")
		})
		mustContain(t, "status while paused", status, "authentication rejected", "once fixed, run: syncd sync -resume")
	}
}
