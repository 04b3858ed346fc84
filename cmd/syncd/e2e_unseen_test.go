package main_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/crm/crmfake"
)

// TestExportAndEraseFindAnAddressWithAnInvisibleCharacter: a person who
// wrote three times, once through each sender with the address pasted with
// a soft hyphen in it (which the mapper now drops, as erase and export
// read past it: before, HubSpot refused it, INVALID_EMAIL, a dead letter)
// and once quarantined with one JSON-escaped, the phone as "+45 12 34 56 78", "0045 12345678" and
// "12345678". Export by the plain address finds every lead, export by the
// address and the phone is not refused as a number other contacts share,
// and erase leaves nothing of the person in the database, its WAL or the
// report, and all of another person. They missed the soft-hyphened lead
// (its body, its operations and the report's row) and said nothing.
func TestExportAndEraseFindAnAddressWithAnInvisibleCharacter(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	fake, fakeURL := startFakeCRM(t, crmfake.Options{Kind: crmfake.KindHubSpot, Token: "fake-private-app-token"})
	dir := t.TempDir()
	config := writeCRMConfig(t, dir, fakeURL)
	data := filepath.Join(dir, "data")
	d := start(t, config)
	leads := []struct{ src, body string }{
		{"lokalebasen", `{"event_type":"enquiry_created","payload":{"location":{"id":"101"},"enquiry":{"type":"direct"},` +
			`"client":{"email":"Jane.Doe@Example.com","name":"Jane Softly","phone":"+45 12 34 56 78"},"comment":"first"}}`},
		{"eaf", "{\"eaf_type\":\"email_lead\",\"eaf_id\":\"J1\",\"email_source\":\"rightmove\",\"contact_name\":\"Jane Softly\"," +
			"\"contact_email\":\"jane.doe\u00ad@example.com\",\"contact_phone\":\"0045 12345678\"," +
			"\"contact_message_flat\":\"Ring mig om Vesterbro\",\"eaf_reference\":\"R1\",\"eaf_date\":\"2026-12-01T06:28:06+01:00\"}"},
		{"eaf", `{"eaf_type":"email_lead" "eaf_id":"J2","contact_name":"Jane Softly","contact_email":"JANE.DOE\u00AD@EXAMPLE.COM","contact_phone":"12345678"`},
		{"lokalebasen", `{"event_type":"enquiry_created","payload":{"location":{"id":"102"},"enquiry":{"type":"direct"},` +
			`"client":{"email":"bob.other@example.org","name":"Bob Other","phone":"87 65 43 21"},"comment":"bob's"}}`},
	}
	for _, l := range leads {
		tok := map[string]string{"lokalebasen": e2eLBToken, "eaf": e2eEAFToken}[l.src]
		if a, err := post(d.url+"/hooks/"+l.src+"/"+tok, []byte(l.body)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitFor(t, "every lead's operations to be done, the soft-hyphened one's too", func() bool {
		ops := syncdJSON(t, "outbox", "list", "-json", "-config", config)
		done, deals := 0, 0
		for _, op := range ops {
			done += map[bool]int{true: 1}[op["state"] == "done"]
			deals += map[bool]int{true: 1}[op["state"] == "done" && op["kind"] == "deal"]
		}
		return deals == 3 && done == len(ops) // Jane's contact once or twice, as the leads were mapped together or not
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil { // nothing in flight for erase to refuse
		t.Fatal(err)
	}
	if len(fake.State().Contacts) != 2 {
		t.Fatalf("the stand-in holds %d contacts, want Jane's and Bob's", len(fake.State().Contacts))
	}
	today := leadsDay(t, config)
	workbook := strings.TrimSpace(syncdOK(t, "report", "-config", config, "-date", today))
	jane := []string{"Jane Softly", "Softly", "Vesterbro", "12345678"}
	if hits := strings.Join(e2eHits(t, data, jane), "\n"); !strings.Contains(hits, filepath.Base(workbook)+": Vesterbro") {
		t.Fatalf("the report does not list the soft-hyphened lead's message:\n%s", hits)
	}

	var ex struct {
		Events      []struct{ ID int64 }
		Quarantined []struct{ ID int64 }     `json:"quarantined_bodies"`
		Ops         []struct{ State string } `json:"crm_operations"`
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-email", "jane.doe@example.com")), &ex); err != nil {
		t.Fatal(err)
	}
	if len(ex.Events) != 2 || len(ex.Quarantined) != 1 || len(ex.Ops) < 3 {
		t.Errorf("export -email: %d events, %d quarantined bodies, %d operations; want 2, 1 and 3 or 4", len(ex.Events), len(ex.Quarantined), len(ex.Ops))
	}
	out, stderr, code := syncdRun(t, "export", "-config", config, "-email", "jane.doe@example.com", "-phone", "+45 12 34 56 78")
	if code != 0 || strings.Count(out, `"source"`) != 3 {
		t.Errorf("export -email -phone: exit %d\n%s%s", code, stderr, out)
	}

	// By the phone alone: the one address carrying it is the person's,
	// with or without the soft hyphen (it was refused as two contacts
	// sharing the number, "jane.doe@example.com" and "jane.doe­@example.com").
	out, stderr, code = syncdRun(t, "export", "-config", config, "-phone", "12345678")
	if code != 0 || strings.Count(out, `"source"`) != 3 {
		t.Errorf("export -phone: exit %d\n%s%s", code, stderr, out)
	}

	out = syncdOK(t, "erase", "-config", config, "-email", "Jane.Doe@example.com")
	if !strings.HasPrefix(out, fmt.Sprintf("erased: 2 events, 1 quarantined body, %d outbox operations", len(ex.Ops))) || !strings.Contains(out, "report rewritten: "+workbook) {
		t.Errorf("erase printed:\n%s", out)
	}
	if hits := e2eHits(t, data, jane); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}
	if hits := e2eHits(t, data, []string{"Bob Other", "bob.other@example.org"}); len(hits) < 3 {
		t.Errorf("Bob's data is not all there: %v", hits)
	}
}

// TestErasePhoneWrittenWithNoBreakSpaces: a lead that did not parse, its
// number's groups joined by no-break spaces (as a web form or a word
// processor writes "+45 22 33 44 55"), was left out by export and erase
// -phone: its name and number stayed in the database, with nothing said.
// Both now find it, as the mapping reads the number of a lead that parses.
func TestErasePhoneWrittenWithNoBreakSpaces(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	for _, b := range []string{
		`{"event_type":"enquiry_created","payload":{"location":{"id":"201"},"enquiry":{"type":"direct"},` +
			`"client":{"email":"nina@example.net","name":"Nina Nobreak","phone":"+45 22 33 44 55"},"comment":"first"}}`,
		`{"event_type":"enquiry_created" "payload":{"client":{"name":"Nina Nobreak","phone":"+45\u00a022\u00a033\u00a044\u00a055"}}}`,
	} {
		if a, err := post(d.url+"/hooks/lokalebasen/"+e2eLBToken, []byte(b)); err != nil || a.Code != 200 {
			t.Fatalf("post: %+v %v", a, err)
		}
	}
	waitMapped(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	ex := syncdOK(t, "export", "-config", config, "-phone", "+45 22 33 44 55")
	if strings.Count(ex, `"source"`) != 2 || !strings.Contains(ex, `"quarantined_bodies": [`+"\n") {
		t.Errorf("export -phone: want the lead and the quarantined body\n%s", ex)
	}
	if out := syncdOK(t, "erase", "-config", config, "-phone", "+45 22 33 44 55"); !strings.HasPrefix(out, "erased: 1 event, 1 quarantined body") {
		t.Errorf("erase -phone printed:\n%s", out)
	}
	if hits := e2eHits(t, filepath.Join(dir, "data"), []string{"Nina Nobreak"}); len(hits) > 0 {
		t.Errorf("after the erase: %v", hits)
	}
}
