package main_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"path/filepath"
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
	notInShort(t, longUnderRace)
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
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n"+mailTo(smtp.Host, smtp.Port))
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	today := leadsDay(t, config)
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

// TestEraseRefusesAPhoneOtherContactsShare: two people of one firm left
// its switchboard number with their own emails. Erasing one of them by
// email and phone, as the README advises when both are known, found the
// other's lead by the number and erased it, and with -crm GDPR-deleted
// the other's HubSpot contact; the export handed the other's lead over.
// Now erase and export refuse such a number (exit 2, nothing done or
// printed), naming the other contact; by -email alone the person is
// erased and the other stays, in syncd and in the CRM.
func TestEraseRefusesAPhoneOtherContactsShare(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	for _, who := range [][2]string{{"jane@firma.dk", "Jane Firma"}, {"bob@firma.dk", "Bob Firma"}} {
		body := `{"event_type":"enquiry_created","payload":{"location":{"id":"20064","external_key":"EJ-1"},` +
			`"enquiry":{"type":"extra"},"client":{"email":"` + who[0] + `","name":"` + who[1] +
			`","company":"Firma A/S","phone":"+45 33 12 34 56"},"comment":"ring til omstillingen"}}`
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitFor(t, "both contacts in the CRM", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail["jane@firma.dk"]) == 1 && len(s.ContactsByEmail["bob@firma.dk"]) == 1
	})
	for _, args := range [][]string{
		{"erase", "-email", "jane@firma.dk", "-phone", "33 12 34 56", "-crm"},
		{"erase", "-phone", "+45 33 12 34 56"},
		{"export", "-email", "jane@firma.dk", "-phone", "33123456"},
	} {
		out, stderr, code := syncdRun(t, append(args, "-config", config)...)
		if code != 2 || out != "" || !strings.Contains(stderr, "bob@firma.dk") || !strings.Contains(stderr, "-email") {
			t.Errorf("syncd %v: exit %d, want 2 naming the other contact and what to give instead\nstdout: %s\nstderr: %s",
				args, code, out, stderr)
		}
	}
	if evs, _ := exportOf(t, config, "bob@firma.dk")["events"].([]any); len(evs) != 1 {
		t.Fatalf("the other person's leads after the refused erase: %d, want 1", len(evs))
	}
	syncdOK(t, "erase", "-config", config, "-email", "jane@firma.dk", "-crm")
	waitFor(t, "the person's contact erased in the CRM", func() bool {
		return len(fake.State().ContactsByEmail["jane@firma.dk"]) == 0
	})
	if evs, _ := exportOf(t, config, "bob@firma.dk")["events"].([]any); len(evs) != 1 || len(fake.State().ContactsByEmail["bob@firma.dk"]) != 1 {
		t.Errorf("after erasing the person by -email, the other has %d leads in syncd and %d contacts in the CRM; want 1 and 1",
			len(evs), len(fake.State().ContactsByEmail["bob@firma.dk"]))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestEraseInCRMSparesAContactWhoseLeadNamesThePerson: a colleague's lead
// names the person in its message ("my colleague kim@firma.dk comes to
// the viewing"). erase -email kim@firma.dk -crm found that lead (its body
// names her: it must go from syncd) and with it GDPR-deleted the
// colleague's HubSpot contact, which cannot be undone. Now it is refused
// (exit 2, nothing done), naming the other contact, as without -crm; with
// -others the person's own records alone are erased in the CRM
// (TestEraseInCRMWithOthersErasesThePersonsOwnRecords).
func TestEraseInCRMSparesAContactWhoseLeadNamesThePerson(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	d := start(t, config)
	postColleagues(t, d)
	waitFor(t, "both contacts in the CRM", func() bool {
		s := fake.State()
		return len(s.ContactsByEmail["kim@firma.dk"]) == 1 && len(s.ContactsByEmail["lars@firma.dk"]) == 1
	})
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "kim@firma.dk", "-crm")
	if code != 2 || out != "" || !strings.Contains(stderr, "lars@firma.dk") {
		t.Fatalf("erase -crm: exit %d, want 2 naming the other contact\nstdout: %s\nstderr: %s", code, out, stderr)
	}
	if evs, _ := exportOf(t, config, "kim@firma.dk")["events"].([]any); len(evs) != 2 {
		t.Errorf("after the refused erase the person has %d leads in syncd, want 2 (nothing done)", len(evs))
	}
	time.Sleep(2 * time.Second) // the daemon's syncer would send a queued erase within a second
	if s := fake.State(); len(s.ContactsByEmail["lars@firma.dk"]) != 1 || len(s.ContactsByEmail["kim@firma.dk"]) != 1 {
		t.Errorf("after the refused erase the CRM holds %d and %d contacts of the two, want 1 and 1",
			len(s.ContactsByEmail["kim@firma.dk"]), len(s.ContactsByEmail["lars@firma.dk"]))
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
}

// TestExportKeepsAQuarantinedBodysBytes: a sender wrote the person's lead
// in ISO-8859-1, so it was quarantined as not UTF-8. The export printed the
// body as JSON text, every "ø" of their name turned into U+FFFD: not what
// syncd holds. It now also carries the exact bytes (body_base64).
func TestExportKeepsAQuarantinedBodysBytes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	body := []byte("{\"event_type\":\"enquiry_created\",\"payload\":{\"client\":{\"email\":\"bent@latin1.dk\",\"name\":\"Bent J\xf8rgensen\"}}}")
	if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, body); err != nil || a.Code != 200 || a.Status != "quarantined" {
		t.Fatalf("post: %+v %v", a, err)
	}
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	qs, _ := exportOf(t, config, "bent@latin1.dk")["quarantined_bodies"].([]any)
	if len(qs) != 1 {
		t.Fatalf("export: %d quarantined bodies, want 1", len(qs))
	}
	b64, _ := qs[0].(map[string]any)["body_base64"].(string)
	if got, err := base64.StdEncoding.DecodeString(b64); err != nil || !bytes.Equal(got, body) {
		t.Errorf("export's body_base64 %q decodes to %q (%v), want the bytes received %q", b64, got, err, body)
	}
}
