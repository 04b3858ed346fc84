package main_test

import (
	"encoding/json"
	"path/filepath"
	"syscall"
	"testing"
)

// TestExportAndEraseByPhoneFindTheSpacedPhoneInAWorkbook: the Leads sheet
// shows a phone spaced to read, "+45 52 25 05 59", where it showed the
// E.164 "+4552250559" syncd sends to the CRM. A person asking by their
// phone alone, as they write it ("52 25 05 59"), still has the workbook
// listing them named by export, and erase makes it again without them.
func TestExportAndEraseByPhoneFindTheSpacedPhoneInAWorkbook(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfig(t, dir)
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	waitFor(t, "the lead mapped", func() bool {
		evs := syncdJSON(t, "events", "list", "-config", config, "-json")
		return len(evs) == 1 && evs[0]["map_state"] == "mapped"
	})
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	today := leadsDay(t, config)
	syncdOK(t, "report", "-config", config, "-date", today)
	workbook := filepath.Join(dir, "data", "reports", "leads-"+today+".xlsx")
	if hits := e2eHits(t, filepath.Dir(workbook), []string{"+45 52 25 05 59"}); len(hits) == 0 {
		t.Fatalf("the workbook %s does not show the phone spaced: nothing to test", workbook)
	}
	reports := func() []any {
		out, stderr, code := syncdRun(t, "export", "-config", config, "-phone", "52 25 05 59")
		var ex map[string]any
		if err := json.Unmarshal([]byte(out), &ex); code != 0 || err != nil {
			t.Fatalf("export -phone: exit %d, %v\n%s%s", code, err, out, stderr)
		}
		list, _ := ex["reports"].([]any)
		return list
	}
	if got := reports(); len(got) != 1 || got[0].(map[string]any)["path"] != workbook {
		t.Fatalf("export by the phone names %v, want the workbook %s", got, workbook)
	}
	syncdOK(t, "erase", "-config", config, "-phone", "52 25 05 59")
	if hits := e2eHits(t, filepath.Dir(workbook), []string{"+45 52 25 05 59", "angela7913@hotmail.com"}); len(hits) != 0 {
		t.Errorf("after the erase the reports directory still holds the person: %v", hits)
	}
	if got := reports(); len(got) != 0 {
		t.Errorf("after the erase, the export names %v", got)
	}
}
