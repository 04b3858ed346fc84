package main_test

import (
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
	out, stderr, code := syncdRun(t, "erase", "-config", config, "-email", "angela7913@hotmail.com")
	if code != 0 || !strings.Contains(out, "report rewritten: ") ||
		!strings.Contains(out, "mailed copy: the report of "+day+" mailed at ") {
		t.Fatalf("erase: exit %d, want the mailed copy of %s named\nstdout: %s\nstderr: %s", code, day, out, stderr)
	}
}
