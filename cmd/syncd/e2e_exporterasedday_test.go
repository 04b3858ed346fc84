package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestExportOfAnErasedLeadNamesNoWorkbookListingIt: erase -event makes the
// day's workbook again without the lead, so `syncd export -event` of it
// afterwards names no workbook as listing the person. It named the day's
// workbook all the same (the export counted the days of every lead it
// found, erased or not), in the JSON's reports and in the text for the
// person ("Daily reports that list you: 1"), which the workbook no longer
// did: the officer told the client a report still listed them, or believed
// the erase had left them in it.
func TestExportOfAnErasedLeadNamesNoWorkbookListingIt(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir, config := storedAngela(t)
	type reports struct {
		Reports []struct{ Day, Path string } `json:"reports"`
	}
	var before reports
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-event", "1")), &before); err != nil {
		t.Fatal(err)
	}
	if len(before.Reports) != 0 {
		t.Fatalf("the lead is in a workbook before one was made: %+v", before.Reports)
	}
	var ev struct {
		ReceivedAt string `json:"received_at"` // in report.time_zone
	}
	if err := json.Unmarshal([]byte(syncdOK(t, "events", "show", "-config", config, "1")), &ev); err != nil || len(ev.ReceivedAt) < 10 {
		t.Fatalf("events show 1: %v, %+v", err, ev)
	}
	syncdOK(t, "report", "-config", config, "-date", ev.ReceivedAt[:10])
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-event", "1")), &before); err != nil {
		t.Fatal(err)
	}
	reportDir := filepath.Join(dir, "data", "reports")
	if len(before.Reports) != 1 || len(e2eHits(t, reportDir, []string{"angela7913@hotmail.com"})) == 0 {
		t.Fatalf("before the erase, the export names %+v and the workbook holds %v: the test proves nothing",
			before.Reports, e2eHits(t, reportDir, []string{"angela7913@hotmail.com"}))
	}

	out := syncdOK(t, "erase", "-config", config, "-event", "1", "-despite-contact")
	if !strings.Contains(out, "report rewritten: ") {
		t.Fatalf("erase did not make the workbook again:\n%s", out)
	}
	if hits := e2eHits(t, reportDir, []string{"angela7913@hotmail.com", "Angela Baker"}); len(hits) > 0 {
		t.Fatalf("the workbook still lists the erased lead: %v", hits)
	}
	var after reports
	if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-event", "1")), &after); err != nil {
		t.Fatal(err)
	}
	if len(after.Reports) != 0 {
		t.Errorf("export -event of the erased lead names workbooks that list it: %+v; the erase made them again without it", after.Reports)
	}
	text := syncdOK(t, "export", "-config", config, "-event", "1", "-format", "text")
	if !strings.Contains(text, "Daily reports that list you: 0") {
		t.Errorf("the text export of the erased lead names a report listing the person:\n%s", text)
	}
}

// TestExportOfOneOfTheLeadsErasedTogetherFindsTheErasure: the audit keeps
// an erase -event under a keyed hash of the ids as erase was given them,
// so `syncd export -event` of one of the leads erase -event 1,2 erased, or
// of both in another order, found no erasure: its text told the person
// "Erasures of your data: 0" under an enquiry it said syncd erase had
// erased. The erasure log beside the database names the events of each
// erase -event: the export finds the erasure through it.
func TestExportOfOneOfTheLeadsErasedTogetherFindsTheErasure(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	postTestdata(t, d, "eaf/email_lead.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out := syncdOK(t, "erase", "-config", config, "-event", "1,2", "-despite-contact")
	if !strings.Contains(out, "erased: 2 events") {
		t.Fatalf("erase -event 1,2:\n%s", out)
	}
	for _, ids := range []string{"1,2", "2,1", "1", "2"} {
		var ex struct {
			Erasures []struct {
				Events int `json:"events"`
			} `json:"erasures"`
		}
		if err := json.Unmarshal([]byte(syncdOK(t, "export", "-config", config, "-event", ids)), &ex); err != nil {
			t.Fatal(err)
		}
		if len(ex.Erasures) != 1 || ex.Erasures[0].Events != 2 {
			t.Errorf("export -event %s of leads erase -event 1,2 erased finds the erasures %+v; want that one", ids, ex.Erasures)
		}
	}
	text := syncdOK(t, "export", "-config", config, "-event", "2", "-format", "text")
	if !strings.Contains(text, "Erasures of your data: 1\n") {
		t.Errorf("the text export of an erased lead names no erasure:\n%s", text)
	}
}

// TestExportTextOfAnErasureByEventSaysWhatItsHashIsOf: an erase -event
// records a keyed hash of the events' ids, no email or phone (a client
// known by name alone gave neither), but the text for the person said
// "its record names you only by a keyed hash of the email or phone
// erased", and so did its retention line.
func TestExportTextOfAnErasureByEventSaysWhatItsHashIsOf(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	_, config := storedAngela(t)
	syncdOK(t, "erase", "-config", config, "-event", "1", "-despite-contact")
	text := syncdOK(t, "export", "-config", config, "-event", "1", "-format", "text")
	if !strings.Contains(text, "Erasures of your data: 1\n") {
		t.Fatalf("the text export names no erasure of the lead: the test proves nothing\n%s", text)
	}
	if strings.Contains(text, "email or phone") {
		t.Errorf("the text export of an erasure by event speaks of an email or phone erased:\n%s", text)
	}
	for _, want := range []string{
		"its record names them only by a keyed hash of syncd's numbers of the enquiries erased: ",
		"with a keyed hash of syncd's numbers of the enquiries it erased for 365 days",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the text export does not say %q:\n%s", want, text)
		}
	}
	// An export by email still speaks of the email or phone.
	syncdOK(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	text = syncdOK(t, "export", "-config", config, "-email", "angela7913@hotmail.com", "-format", "text")
	if !strings.Contains(text, "its record names you only by a keyed hash of the email or phone erased: ") {
		t.Errorf("the text export by email does not name the email or phone erased:\n%s", text)
	}
}
