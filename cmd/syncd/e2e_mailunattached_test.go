package main_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestStatusSaysTheWorkbookWasTooLargeToMail: a mail server whose limit
// (SIZE) the workbook exceeds answered 552 to it; nobody got a mail, and
// only the log said why. The mail now goes without it, saying where it
// is kept; `syncd report -mail` says so once (exit 0: the mail went),
// `syncd status` says it from the database and beside the daemon (exit
// 5: the recipients lack the workbook), and /metrics has
// syncd_last_report_mail_unattached 1.
func TestStatusSaysTheWorkbookWasTooLargeToMail(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.StartSized(t, "", "", 8_000)
	dir, addr := t.TempDir(), freeAddr(t)
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", smtp.Port)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	path, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", file)
	path = strings.TrimSpace(path)
	if code != 0 || len(smtp.Messages()) != 1 || strings.Count(stderr, "without its workbook") != 1 || !strings.Contains(stderr, path) {
		t.Fatalf("report -mail of a workbook too large: exit %d, %d messages, want 0 and 1, saying so once\n%s", code, len(smtp.Messages()), stderr)
	}
	const want = "of 2026-11-02, mailed WITHOUT the workbook: too large for the mail server ("
	out, _, code := syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, path+"\n") || !strings.Contains(out, "raise the mail server's message size limit") {
		t.Errorf("status from the database: exit %d, want 5 and %q with where it is\n%s", code, want, out)
	}
	d := start(t, file)
	defer d.stop(t, syscall.SIGTERM)
	out, _, code = syncdRun(t, "status", "-config", file)
	if code != 5 || !strings.Contains(out, want) || !strings.Contains(out, path+"\n") {
		t.Errorf("status from the daemon: exit %d, want 5 and %q with where it is\n%s", code, want, out)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "\nsyncd_last_report_mail_unattached 1\n") {
		t.Errorf("/metrics, want syncd_last_report_mail_unattached 1:\n%s", grepLines(string(body), "last_report"))
	}
}

// TestReportMailTooLargeEvenWithoutTheWorkbook: a mail server whose limit
// even the mail without the workbook exceeds (a limit of a few kB, set by
// mistake) refused both; `syncd report -mail` said to mend "report.mail's
// recipients or login", neither of which was wrong, and the log, status
// and the command said the mail too large without saying that it went
// without the workbook. They now say `…, even without the workbook`, and
// to raise the server's limit or send through another.
func TestReportMailTooLargeEvenWithoutTheWorkbook(t *testing.T) {
	t.Parallel()
	smtp := mailtest.StartSized(t, "", "", 1_000)
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", smtp.Port))), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	_, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", file)
	if code != 1 || len(smtp.Messages()) != 0 || strings.Contains(stderr, "recipients or login") ||
		!strings.Contains(stderr, "too large for the server (2 kB, where the server takes up to 1 kB), even without the workbook") ||
		!strings.Contains(stderr, "raise the mail server's message size limit") {
		t.Fatalf("report -mail too large even without the workbook: exit %d, %d messages, want 1 and none, "+
			"saying it is too large even without the workbook and what to do\n%s", code, len(smtp.Messages()), stderr)
	}
}
