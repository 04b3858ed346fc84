package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReportAlarmsOnABatchTheCRMNeverTakes: with one lead's contact drawing
// a 504 at every call while the CRM answers others, syncd status said ONE
// BATCH STUCK and exited 5 (a person must act: it never ends by itself),
// but the day's report, the page the agency reads each morning, raised no
// alarm: the lead was only "Waiting to be sent", day after day. Its
// Summary opens with the alarm, naming the operation and the give-up.
func TestReportAlarmsOnABatchTheCRMNeverTakes(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	postTestdata(t, d, "eaf/email_lead.json")
	deadline := time.Now().Add(3 * time.Minute) // the first try sets it aside, the next (15 to 30 s later) tells it
	for {
		out, _, _ := syncdRun(t, "status", "-config", config)
		if strings.Contains(out, "ONE BATCH STUCK") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status names no stuck batch 3 minutes on:\n%s\n%s", out, d.log())
		}
		time.Sleep(time.Second)
	}
	var id string
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "contact" {
			id = fmt.Sprint(op["id"])
		}
	}
	day := time.Now().In(mustZone(t, "Europe/Copenhagen")).Format(time.DateOnly)
	out, stderr, code := syncdRun(t, "report", "-date", day, "-config", config)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	text := workbookText(t, strings.TrimSpace(out))
	var alarm string
	for line := range strings.Lines(text) {
		if strings.HasPrefix(line, "ALARM: ") {
			alarm = line
		}
	}
	mustContain(t, "the day's workbook's alarm", alarm,
		"CRM hubspot answers other calls, but every call with operation(s) "+id+" fails as a whole (504 Gateway Timeout)",
		"syncd outbox give-up "+id)
}
