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

// TestStatusSeesTheReportMailedByHand: with the daemon running, a report
// whose mail failed showed in `syncd status` (exit 5) and in /metrics; the
// operator ran the command status named, `syncd report -date DAY -mail`,
// and the mail went, but status still said its mail FAILED and
// syncd_last_report_mail_failed stayed 1: the daemon's gauges knew only
// the reports it made itself, until its next one the morning after.
func TestStatusSeesTheReportMailedByHand(t *testing.T) {
	t.Parallel()
	down, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	downPort := down.Addr().(*net.TCPAddr).Port
	down.Close() // nothing listens there now
	smtp := mailtest.Start(t, "", "")
	dir, addr := t.TempDir(), freeAddr(t)
	config := func(name string, port int) string {
		yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", port)),
			"listen: 127.0.0.1:0", "listen: "+addr, 1)
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
			t.Fatal(err)
		}
		return file
	}
	serverDown, serverUp := config("down.yaml", downPort), config("syncd.yaml", smtp.Port)
	makeDB(t, dir)
	if _, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", serverDown); code != 1 {
		t.Fatalf("report -mail to a server that is down: exit %d\n%s", code, stderr)
	}
	d := start(t, serverUp)
	defer d.stop(t, syscall.SIGTERM)
	if out, _, code := syncdRun(t, "status", "-config", serverUp); code != 5 || !strings.Contains(out, "mail FAILED") {
		t.Fatalf("status before the mail went: exit %d\n%s", code, out)
	}

	if _, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", serverUp); code != 0 || len(smtp.Messages()) != 1 {
		t.Fatalf("report -mail again: exit %d, %d messages\n%s", code, len(smtp.Messages()), stderr)
	}
	out, _, code := syncdRun(t, "status", "-config", serverUp)
	if code != 0 || strings.Contains(out, "FAILED") || !strings.Contains(out, "of 2026-11-02, mailed") {
		t.Errorf("status once the mail went: exit %d, want 0 and the report mailed\n%s", code, out)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "\nsyncd_last_report_mail_failed 0\n") {
		t.Errorf("/metrics still says the mail failed:\n%s", grepLines(string(body), "last_report"))
	}
}
