package main_test

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailWaitsForTheMailServer: the mail server was down when the
// daemon made the day's report, longer than its five attempts (1, 2, 4 and
// 8 minutes apart). The mail was recorded FAILED and never tried again:
// the managers got no report that day, though the server was back within
// the hour, unless the operator ran the command status named. The daemon
// now keeps it to try again (10 minutes on, doubling up to 2 hours); status
// says it is not sent, why and that the daemon tries again (exit 5: nobody
// has it), and once the server is back the report is mailed, once, and
// status says so (exit 0). SYNCD_TEST_REPORT_RETRY shortens the waits.
func TestReportMailWaitsForTheMailServer(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // the mail server is down
	dir, addr := t.TempDir(), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", port)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3) // so the daemon makes yesterday's report at once
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
	out, code := status("its mail NOT SENT: nobody has it yet")
	if code != 5 || strings.Contains(out, "FAILED") || !regexp.MustCompile(`the mail server did not take it in \d+ attempt\(s\)`).MatchString(out) ||
		!strings.Contains(out, "connection refused") || !strings.Contains(out, "the daemon keeps trying it at waits growing from 10 minutes to 2 hours") {
		t.Fatalf("status while the mail server is down: exit %d, want 5, why and that the daemon tries again\n%s", code, out)
	}

	// Through the daemon's next rounds of attempts (a round takes 1.5 s
	// here) status keeps saying so, and the alert on the gauge keeps firing.
	for end := time.Now().Add(4 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if out, _, code := syncdRun(t, "status", "-config", config); code != 5 || !strings.Contains(out, "its mail NOT SENT") {
			t.Fatalf("status during a later round of attempts: exit %d, want 5 and NOT SENT\n%s", code, out)
		}
	}

	// The command status offers, run while the server is still down, leaves
	// the mail to the daemon: it recorded it FAILED, and nothing tried again.
	day := regexp.MustCompile(`of (\d{4}-\d\d-\d\d), its mail NOT SENT`).FindStringSubmatch(out)[1]
	_, stderr, code := syncdRun(t, "report", "-date", day, "-mail", "-config", config)
	if code != 1 || !strings.Contains(stderr, "the mail is left to the daemon, which keeps trying it") {
		t.Fatalf("report -mail by hand, the server still down: exit %d\n%s", code, stderr)
	}
	if out, code := status("its mail NOT SENT"); code != 5 {
		t.Fatalf("status after the mail by hand: exit %d\n%s", code, out)
	}

	smtp := mailtest.StartOnPort(t, "", "", port) // the mail server is back
	out, code = status(", mailed")
	if code != 0 || strings.Contains(out, "NOT SENT") {
		t.Errorf("status once the mail went: exit %d, want 0\n%s", code, out)
	}
	time.Sleep(2 * time.Second) // the scheduler's retries go on: none mails it again
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d messages, want the report once", n)
	}
}
