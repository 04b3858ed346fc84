package main_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestStatusSaysTheReportIsNotMade: the daemon could not make the day's
// report (report.dir's path runs through a file here: a mistyped path, a
// disk not mounted; a full disk alike). Its runs logged an error each, and
// that was all: `syncd status` said "last report never" (or the day
// before's, mailed), exit 0, the systemd status line "serving", and the
// 26 h alert on syncd_last_report_timestamp_seconds waits for a first
// report. Status now names the day not made, since when and where to read
// why, exit 5, as does the status line; once the directory can be written
// the report is made and mailed, once, and status is clear again.
func TestStatusSaysTheReportIsNotMade(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	config, blocked := blockedReportConfig(t, smtp, freeAddr(t))
	d := start(t, config, "SYNCD_TEST_REPORT_RETRY=100ms")
	defer d.stop(t, syscall.SIGTERM)

	status := func(want string) (string, int) {
		t.Helper()
		var out string
		var code int
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if out, _, code = syncdRun(t, "status", "-config", config); strings.Contains(out, want) {
				return out, code
			}
		}
		t.Fatalf("status never said %q:\n%s", want, out)
		return "", 0
	}
	out, code := status("NOT MADE")
	m := regexp.MustCompile(`the report of (\d{4}-\d\d-\d\d) is NOT MADE: the daemon's runs have failed to make it since`).FindStringSubmatch(out)
	if code != 5 || m == nil || !strings.Contains(out, "syncd report -date "+m[1]+" makes it by hand and says why") ||
		!strings.Contains(out, "the daemon tries again at waits growing to 2 hours") {
		t.Fatalf("status while the report cannot be made: exit %d, want 5 and the day not made\n%s", code, out)
	}

	if err := os.Remove(blocked); err != nil { // the disk is there again
		t.Fatal(err)
	}
	out, code = status(", mailed")
	if code != 0 || strings.Contains(out, "NOT MADE") || !strings.Contains(out, "of "+m[1]+", mailed") {
		t.Errorf("status once the report is made: exit %d, want 0\n%s", code, out)
	}
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d messages, want the report once", n)
	}
}

// TestReportRecipientsAreToldOnceThatItIsLate: while the daemon could not
// make the day's report, the managers who read it every morning got
// nothing and no word (only the operator was told). Once its runs have
// failed for an hour (a second here), the recipients get one short
// notice, no lead in it, however many runs fail after; the report itself
// comes as ever once it is made.
func TestReportRecipientsAreToldOnceThatItIsLate(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	config, blocked := blockedReportConfig(t, smtp, "127.0.0.1:0")
	d := start(t, config, "SYNCD_TEST_REPORT_RETRY=100ms", "SYNCD_TEST_REPORT_LATE=1s")
	defer d.stop(t, syscall.SIGTERM)
	waitFor(t, "the notice that the report is late", func() bool { return len(smtp.Messages()) >= 1 })
	time.Sleep(2 * time.Second) // runs go on failing every 100 ms: a second notice would come
	msgs := smtp.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages while the report cannot be made, want the notice once", len(msgs))
	}
	notice, err := msgs[0].Parse()
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "the notice's subject", notice.Subject, "the leads report of ", " is late")
	mustContain(t, "the notice", notice.Text, "could not be made yet", "mailed to you as usual as soon as it is made",
		"nothing for you to do")
	if len(notice.Attachments) > 0 {
		t.Errorf("the notice carries attachments: %v", notice.Attachments)
	}

	if err := os.Remove(blocked); err != nil { // the disk is there again
		t.Fatal(err)
	}
	waitFor(t, "the report mailed", func() bool { return len(smtp.Messages()) >= 2 })
	time.Sleep(time.Second)
	if n := len(smtp.Messages()); n != 2 {
		t.Errorf("%d messages, want the notice and the report, once each", n)
	}
}

// blockedReportConfig writes a configuration listening at listen whose
// report.dir runs through a file, blocked (a mistyped path, a disk not
// mounted), mailing smtp, its database installed days ago so that
// yesterday's report is due at once; removing blocked lets the report be
// made.
func blockedReportConfig(t *testing.T, smtp *mailtest.Server, listen string) (config, blocked string) {
	t.Helper()
	dir := t.TempDir()
	blocked = filepath.Join(dir, "mnt")
	if err := os.WriteFile(blocked, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n  dir: "+filepath.Join(blocked, "reports")+"\n"+
		mailTo(smtp.Host, smtp.Port)), "listen: 127.0.0.1:0", "listen: "+listen, 1)
	config = filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3)
	return config, blocked
}
