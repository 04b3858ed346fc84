package main_test

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestReportAlarmsOnSeveralOperationsTheCRMNeverTakes: two leads' contacts
// each draw a 504 at every call, sent alone too, while the CRM answers
// others: syncd status says 2 OPERATIONS STUCK, and the day's workbook's
// alarm names both and the give-up of both. Its wording was untested: it
// listed the operations twice and sent the reader to "syncd outbox show
// <the first> says what they hold", which shows one of them.
func TestReportAlarmsOnSeveralOperationsTheCRMNeverTakes(t *testing.T) {
	t.Parallel()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	postTestdata(t, d, "eaf/email_lead.json")
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	deadline := time.Now().Add(4 * time.Minute) // each is set aside, then tried alone and told
	for {
		out, _, _ := syncdRun(t, "status", "-config", config)
		if strings.Contains(out, "2 OPERATIONS STUCK") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status names no 2 operations stuck 4 minutes on:\n%s\n%s", out, d.log())
		}
		time.Sleep(time.Second)
	}
	var ids []string
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "contact" {
			ids = append([]string{fmt.Sprint(op["id"])}, ids...) // the list is newest first
		}
	}
	if len(ids) != 2 {
		t.Fatalf("pending contacts %v; want the two stuck", ids)
	}
	day := time.Now().In(mustZone(t, "Europe/Copenhagen")).Format(time.DateOnly)
	out, stderr, code := syncdRun(t, "report", "-date", day, "-config", config)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	var alarm string
	for line := range strings.Lines(workbookText(t, strings.TrimSpace(out))) {
		if strings.HasPrefix(line, "ALARM: ") {
			alarm = line
		}
	}
	both := ids[0] + ", " + ids[1]
	mustContain(t, "the day's workbook's alarm", alarm,
		"CRM hubspot answers other calls, but 2 operations ("+both+") fail as a whole in every call, each sent alone too (504 Gateway Timeout)",
		"records the CRM never takes, not one batch",
		"syncd outbox show ID says what each holds",
		"syncd outbox give-up "+ids[0]+" "+ids[1]+" sets them aside")
	if strings.Count(alarm, ids[1]) != 2 || strings.Contains(alarm, "show "+ids[0]) {
		t.Errorf("the alarm names the operations more than in the list and the give-up, or shows one for all:\n%s", alarm)
	}
}
