package main_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestStatusNamesTheCRMsRateLimit: with the CRM answering 429 Too Many
// Requests to every call (another integration on the token, the plan's
// limit spent), status said "every CRM call failing since …, retried by
// itself", and past 30 minutes "CRM FAILING …: no answer, 429 or 5xx":
// the operator looked for an outage. It says the CRM refuses for its rate
// limit, with the Retry-After it gave, from the daemon and from the state
// row with no daemon; past 30 minutes, `CRM RATE-LIMITED` and what to
// look at (exit 5, as for an outage); /metrics has syncd_crm_rate_limited
// 1 beside syncd_crm_failing_since_timestamp_seconds for the alert.
func TestStatusNamesTheCRMsRateLimit(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfigOnPort(t, dir, url, true)
	d := start(t, config)
	postTestdata(t, d, "eaf/email_lead.json")
	waitForRecords(t, fake, d, 1, 1, "the first lead")
	fake.AddFault(crmfake.Fault{Path: "/crm/**", Action: crmfake.ActError, Status: 429, RetryAfter: "1"})
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	const said = "every CRM call refused for its rate limit (429 Too Many Requests, Retry-After 1s) since "
	var out string
	waitFor(t, "status to name the rate limit", func() bool {
		out, _, _ = syncdRun(t, "status", "-config", config)
		return strings.Contains(out, "hubspot: running; "+said)
	})
	if m := metricsText(t, d.url); !strings.Contains(m, `syncd_crm_rate_limited{adapter="hubspot"} 1`) {
		t.Errorf("/metrics: no syncd_crm_rate_limited 1 for the alert to tell the rate limit from an outage\n%s", grepLines(m, "syncd_crm_"))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, _, _ = syncdRun(t, "status", "-config", config)
	mustContain(t, "status with no daemon, from the state row", out, "hubspot: not paused; "+said)

	// Half an hour on: needs attention, named as the rate limit.
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The row as the daemon left it, since an hour earlier (on the old
	// code, too, which had no why in it).
	v, _, err := db.StateValue(ctx, "crm_failing:hubspot")
	var row map[string]any
	if err == nil {
		err = json.Unmarshal([]byte(v), &row)
	}
	if err == nil {
		since, _ := time.Parse(time.RFC3339Nano, row["since"].(string))
		row["since"] = since.Add(-time.Hour).Format(time.RFC3339Nano)
		b, _ := json.Marshal(row)
		err = db.SetStateValue(ctx, "crm_failing:hubspot", string(b))
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _, code := syncdRun(t, "status", "-config", config)
	mustContain(t, "status an hour into the rate limit", out,
		"hubspot: CRM RATE-LIMITED since ", "every call refused (429 Too Many Requests, Retry-After 1s); the CRM answers, it is not down",
		"another integration", "the plan's API limits")
	if code != 5 || strings.Contains(out, "no answer, 429 or 5xx") {
		t.Errorf("status an hour into the rate limit: exit %d, want 5, not told as an outage\n%s", code, out)
	}
}
