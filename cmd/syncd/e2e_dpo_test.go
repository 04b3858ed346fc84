package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// A data-protection officer's requests, end to end: what `syncd export`
// gives a person asking what syncd holds about them.

// exportOf runs syncd export for email and returns its JSON.
func exportOf(t *testing.T, config, email string) map[string]any {
	t.Helper()
	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", email)
	var ex map[string]any
	if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
		t.Fatalf("export: exit %d, %v\n%s%s", code, err, out, stderr)
	}
	return ex
}

// TestExportShowsWhatTheCRMSaidOfADeadOperation: the CRM refused the
// person's contact with an error naming their phone and email, which
// syncd keeps with the dead operation (and the report's Needs attention
// sheet shows). The export carries it: it is what syncd holds about them.
func TestExportShowsWhatTheCRMSaidOfADeadOperation(t *testing.T) {
	t.Parallel()
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	said := `+4552250559 is not a valid phone number for angela7913@hotmail.com`
	fake.AddFault(crmfake.Fault{Path: "/crm/v3/objects/contacts/**", Action: crmfake.ActError, Status: 400,
		Body: `{"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"` +
			said + `\",\"error\":\"INVALID_PHONE\",\"name\":\"phone\"}]"}`})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the contact's operation to die", func() bool {
		return len(syncdJSON(t, "outbox", "list", "-state", "dead", "-json", "-config", config)) > 0
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ops, _ := exportOf(t, config, "angela7913@hotmail.com")["crm_operations"].([]any)
	var errs []string
	for _, o := range ops {
		op := o.(map[string]any)
		if op["kind"] == "contact" && op["state"] == "dead" {
			e, _ := op["last_error"].(string)
			errs = append(errs, e)
		}
	}
	if len(errs) != 1 || !strings.Contains(errs[0], said) {
		t.Errorf("export's dead contact operation says %q, want the CRM's error %q", errs, said)
	}
}

// TestExportNamesTheWorkbooksHoldingThePerson: the reports directory keeps
// a workbook listing the person's lead (their name, email and phone), and
// it was mailed. The export names it, with the day and when it was mailed,
// as it does everything else syncd holds; not for someone else, nor once
// the person is erased (erase made the workbook again without them).
func TestExportNamesTheWorkbooksHoldingThePerson(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := configYAML(dir, []string{e2eLBToken}, "report:\n  mail: {host: "+smtp.Host+", port: "+
		strconv.Itoa(smtp.Port)+", tls: none, from: syncd@example.com, to: [manager@example.com]}\n")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	today := time.Now().In(mustZone(t, "Europe/Copenhagen")).Format("2006-01-02")
	syncdOK(t, "report", "-config", config, "-date", today, "-mail")
	workbook := filepath.Join(dir, "data", "reports", "leads-"+today+".xlsx")
	if hits := e2eHits(t, filepath.Dir(workbook), []string{"angela7913@hotmail.com"}); len(hits) == 0 {
		t.Fatalf("the workbook %s does not list the person: nothing to test", workbook)
	}
	reports := func(email string) []any {
		list, ok := exportOf(t, config, email)["reports"].([]any)
		if !ok {
			t.Fatalf("export of %s has no \"reports\" list", email)
		}
		return list
	}
	got := reports("Angela7913@hotmail.com")
	if len(got) != 1 {
		t.Fatalf("export names %d workbooks, want 1: %v", len(got), got)
	}
	if r := got[0].(map[string]any); r["day"] != today || r["path"] != workbook || r["mailed_at"] == nil {
		t.Errorf("export names %v, want day %s, path %s and when it was mailed", r, today, workbook)
	}
	if got := reports("nobody@example.com"); len(got) != 0 {
		t.Errorf("someone else's export names %v", got)
	}
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if got := reports("angela7913@hotmail.com"); len(got) != 0 {
		t.Errorf("after the erase, the export names %v", got)
	}
}
