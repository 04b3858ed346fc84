package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestEraseNamesTheMailedCopies: the person's lead was in a workbook that
// was mailed. Erase rewrote the workbook on disk and said "report
// rewritten", but not that the copy in the recipients' mailboxes still
// lists the person, and after the erase nothing could tell which mails
// did (export finds nothing of them any more). It now says which day's
// mail, and when it was sent.
func TestEraseNamesTheMailedCopies(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: UTC\n"+mailTo(smtp.Host, smtp.Port))
	d := start(t, config)
	postTestdata(t, d, "lokalebasen/enquiry_created.json")
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	evs := syncdJSON(t, "events", "list", "-json", "-config", config)
	at, err := time.Parse(time.RFC3339Nano, evs[0]["received_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	day := at.UTC().Format(time.DateOnly)
	if out, stderr, code := syncdRun(t, "report", "-mail", "-date", day, "-config", config); code != 0 || len(smtp.Messages()) != 1 {
		t.Fatalf("report -mail: exit %d, %d mails\n%s%s", code, len(smtp.Messages()), out, stderr)
	}
	// The workbook gone from report.dir (report.keep_days shorter than
	// event_days, or deleted by hand), export left the mailed report out
	// ("reports": []), though the mailed copies list her and erase names
	// them: a DPO had no word of the mails that carried her name.
	workbook := filepath.Join(dir, "data", "reports", "leads-"+day+".xlsx")
	if err := os.Rename(workbook, workbook+".aside"); err != nil {
		t.Fatal(err)
	}
	js := syncdOK(t, "export", "-config", config, "-email", "angela7913@hotmail.com")
	var ex struct {
		Reports []map[string]any `json:"reports"`
	}
	if err := json.Unmarshal([]byte(js), &ex); err != nil || len(ex.Reports) != 1 || ex.Reports[0]["day"] != day ||
		ex.Reports[0]["mailed_at"] == nil || ex.Reports[0]["path"] != nil {
		t.Errorf("export with the mailed workbook gone from report.dir: %v, reports %v; want the day's report, mailed, without a path", err, ex.Reports)
	}
	text := syncdOK(t, "export", "-config", config, "-email", "angela7913@hotmail.com", "-format", "text")
	mustContain(t, "text export with the mailed workbook gone", text, "Daily reports that list you: 1\n  - the report of "+day+
		" (no longer kept by syncd), mailed to the agency's staff at ")
	if err := os.Rename(workbook+".aside", workbook); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(out, "report rewritten: ") ||
		!strings.Contains(out, "mailed copy: the report of "+day+" mailed at ") {
		t.Fatalf("erase: exit %d, want the mailed copy of %s named\nstdout: %s\nstderr: %s", code, day, out, stderr)
	}
}
