package main_test

import (
	"encoding/json"
	"path/filepath"
	"strings"
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
