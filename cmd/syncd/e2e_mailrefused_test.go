package main_test

import (
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestStatusSaysWhoseCopyTheServerRefused: the mail server took the
// report for the manager and refused it (550) for the sales manager, an
// address no longer valid. The mail is recorded as sent, rightly (sending
// again would mail the manager twice), but `syncd status` said "mailed"
// and exit 0, from the database and from the daemon's /metrics alike:
// nobody learnt that one copy bounced, every day, until they asked.
func TestStatusSaysWhoseCopyTheServerRefused(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	dir, addr := t.TempDir(), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", smtp.Port)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	yaml = strings.Replace(yaml, "to: [manager@example.com]", "to: [manager@example.com, sales@refused.example]", 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	if _, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", file); code != 1 ||
		len(smtp.Messages()) != 1 || !strings.Contains(stderr, "sales@refused.example") ||
		!strings.Contains(stderr, "mailed to manager@example.com;") || !strings.Contains(stderr, "refused for good: correct or remove it in report.mail.to") {
		t.Fatalf("report -mail with one address refused: exit %d, %d messages, want 1 and 1\n%s", code, len(smtp.Messages()), stderr)
	}
	const want = "of 2026-11-02, mailed, but REFUSED for 1 recipient"
	out, _, code := syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, "sales@refused.example (550") ||
		strings.Contains(out, "manager@example.com") {
		t.Errorf("status from the database: exit %d, want 5 and %q naming the refused address only\n%s", code, want, out)
	}

	d := start(t, file)
	defer d.stop(t, syscall.SIGTERM)
	out, _, code = syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, "sales@refused.example (550") {
		t.Errorf("status from the daemon: exit %d, want 5 and %q naming the refused address\n%s", code, want, out)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "\nsyncd_last_report_mail_refused_recipients 1\n") || strings.Contains(string(body), "refused.example") {
		t.Errorf("/metrics, want syncd_last_report_mail_refused_recipients 1 and no address:\n%s", grepLines(string(body), "last_report"))
	}
}

// TestStatusSaysWhyTheMailFailed: a report whose mail failed for good
// showed in `syncd status` as "its mail FAILED: nobody got it (why: the
// log ...)", though the database it read holds why, and the log may be
// rotated away by the time someone looks. It says why, from the database
// and beside a running daemon alike.
func TestStatusSaysWhyTheMailFailed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := down.Addr().(*net.TCPAddr).Port
	down.Close() // nothing listens there now
	dir, addr := t.TempDir(), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", downPort)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	if _, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", file); code != 1 {
		t.Fatalf("report -mail to a server that is down: exit %d\n%s", code, stderr)
	}
	const want = "its mail FAILED: nobody got it: mail 127.0.0.1:"
	out, _, code := syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, "connection refused") {
		t.Errorf("status from the database: exit %d, want 5 and %q with why\n%s", code, want, out)
	}
	d := start(t, file)
	defer d.stop(t, syscall.SIGTERM)
	out, _, code = syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, "connection refused") {
		t.Errorf("status from the daemon: exit %d, want 5 and %q with why\n%s", code, want, out)
	}
}
