package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestAManagerWhoseServerRefusesForNowGetsTheReportLater: one of two
// recipients' server refused the report only for now (lasting greylisting;
// a full mailbox alike) through the daemon's five attempts. The daemon
// gave it up a quarter of an hour after the report ("for now, given up
// after 5 attempt(s)"), and status told the operator to correct or remove
// an address that is right. The daemon now keeps mailing it, alone, at its
// retries, status saying so ("for now, trying again": the others got it,
// those refused only for now are mailed again), and once the server takes
// it that recipient gets the report, once, the other not again.
func TestAManagerWhoseServerRefusesForNowGetsTheReportLater(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	smtp.Greylist(0) // refused for now, every time
	dir, addr := t.TempDir(), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+strings.Replace(mailTo(smtp.Host, smtp.Port),
		"to: [manager@example.com]", "to: [manager@example.com, d@greylist.example]", 1)), "listen: 127.0.0.1:0", "listen: "+addr, 1)
	config := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	installedDaysAgo(t, filepath.Join(dir, "data", "syncd.db"), 3) // so the daemon makes yesterday's report at once
	d := start(t, config, "SYNCD_TEST_REPORT_RETRY=100ms")
	defer d.stop(t, syscall.SIGTERM)

	status := func(want string, code int) string {
		t.Helper()
		var out string
		var got int
		for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			if out, _, got = syncdRun(t, "status", "-config", config); strings.Contains(out, want) && got == code {
				return out
			}
		}
		t.Fatalf("status never said %q with exit %d (exit %d):\n%s", want, code, got, out)
		return ""
	}
	// Past the first round of five attempts (1.5 s here), it still waits.
	time.Sleep(3 * time.Second)
	out := status("d@greylist.example (450 4.7.1 greylisted, try again later) for now, trying again", 5)
	if !strings.Contains(out, "those refused only for now are mailed again, alone, until their server takes it") ||
		strings.Contains(out, "correct or remove") {
		t.Fatalf("status while one recipient is refused for now:\n%s", out)
	}

	smtp.Greylist(1) // refused before: taken now
	out = status(", mailed", 0)
	if strings.Contains(out, "REFUSED") {
		t.Errorf("status once every recipient has it:\n%s", out)
	}
	var to []string
	for _, m := range smtp.Messages() {
		to = append(to, m.To...)
	}
	if strings.Join(to, ",") != "manager@example.com,d@greylist.example" {
		t.Errorf("delivered to %q, want each recipient once", to)
	}
}
