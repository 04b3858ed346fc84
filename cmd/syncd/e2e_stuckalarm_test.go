package main_test

import (
	"fmt"
	"regexp"
	"slices"
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
	notInShort(t, longUnderRace)
	alarm, ids := stuckAlarmOfToday(t, "ONE BATCH STUCK", "eaf/email_lead.json")
	mustContain(t, "the day's workbook's alarm", alarm,
		"CRM hubspot answers other calls, but every call with operation "+ids[0]+" fails as a whole (504 Gateway Timeout)",
		"syncd outbox give-up "+ids[0])
}

// TestReportAlarmsOnSeveralOperationsTheCRMNeverTakes: two leads' contacts
// each draw a 504 at every call, sent alone too, while the CRM answers
// others: syncd status says 2 OPERATIONS STUCK, and the day's workbook's
// alarm names both and the give-up of both. Its wording was untested: it
// listed the operations twice and sent the reader to "syncd outbox show
// <the first> says what they hold", which shows one of them.
func TestReportAlarmsOnSeveralOperationsTheCRMNeverTakes(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	alarm, ids := stuckAlarmOfToday(t, "2 OPERATIONS STUCK", "eaf/email_lead.json", "lokalebasen/enquiry_created.json")
	if len(ids) != 2 {
		t.Fatalf("pending contacts %v; want the two stuck", ids)
	}
	mustContain(t, "the day's workbook's alarm", alarm,
		"CRM hubspot answers other calls, but 2 operations ("+ids[0]+", "+ids[1]+") fail as a whole in every call, each sent alone too (504 Gateway Timeout)",
		"records the CRM never takes, not one batch",
		"syncd outbox show ID says what each holds",
		"syncd outbox give-up "+ids[0]+" "+ids[1]+" sets them aside")
	// The id as a word: a bare count also found it in the alarm's time ("11:37" holds a 3),
	// and the count of operations is not it (the two contacts are 1 and 2 when
	// both leads are mapped in one transaction, which enqueues its deals after them).
	named := regexp.MustCompile(`[ (]` + ids[1] + `[ ,)]`)
	listed := strings.Replace(alarm, " 2 operations (", " operations (", 1)
	if len(named.FindAllString(listed, -1)) != 2 || strings.Contains(alarm, "show "+ids[0]) {
		t.Errorf("the alarm names the operations more than in the list and the give-up, or shows one for all:\n%s", alarm)
	}
}

// stuckAlarmOfToday posts the leads of files to a daemon whose CRM answers
// every contact write with a 504, waits for syncd status to say heading
// (each contact set aside, then told when tried alone), and makes today's
// report by hand: it returns the workbook's last alarm and the pending
// contact operations, oldest first.
func stuckAlarmOfToday(t *testing.T, heading string, files ...string) (alarm string, ids []string) {
	t.Helper()
	fake, url := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	config := writeCRMConfigOnPort(t, t.TempDir(), url, true)
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	fake.AddFault(crmfake.Fault{Method: "POST", Path: "/crm/v3/objects/contacts/batch/upsert", Action: crmfake.ActError, Status: 504})
	for _, file := range files {
		postTestdata(t, d, file)
	}
	deadline := time.Now().Add(4 * time.Minute) // the first try sets them aside, the next (15 to 30 s later) tells them
	for {
		out, _, _ := syncdRun(t, "status", "-config", config)
		if strings.Contains(out, heading) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("status does not say %s 4 minutes on:\n%s\n%s", heading, out, d.log())
		}
		time.Sleep(time.Second)
	}
	for _, op := range syncdJSON(t, "outbox", "list", "-state", "pending", "-json", "-config", config) {
		if op["kind"] == "contact" {
			ids = append(ids, fmt.Sprint(op["id"]))
		}
	}
	slices.Reverse(ids) // the list is newest first
	day := leadsDay(t, config)
	out, stderr, code := syncdRun(t, "report", "-date", day, "-config", config)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	if alarms := summaryAlarms(t, strings.TrimSpace(out)); len(alarms) > 0 {
		alarm = alarms[len(alarms)-1]
	}
	return alarm, ids
}
