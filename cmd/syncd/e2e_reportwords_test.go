package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportByHandSpeaksToPeople: `syncd report` printed the workbook's
// path, then the daemon's JSON log lines on stderr
// ({"level":"info",…,"message":"report made"}): a command run from a shell
// says what it did in words, as its other lines do. What the lines said
// is still said: an old workbook deleted, the mail sent.
func TestReportByHandSpeaksToPeople(t *testing.T) {
	t.Parallel()
	smtp := mailtest.Start(t, "", "")
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n"+mailTo("127.0.0.1", smtp.Port))
	makeDB(t, dir)
	reports := filepath.Join(dir, "data", "reports")
	if err := os.MkdirAll(reports, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(reports, "leads-2020-01-01.xlsx"), []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}

	out, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", config)
	if code != 0 || strings.TrimSpace(out) != filepath.Join(reports, "leads-2026-11-02.xlsx") || len(smtp.Messages()) != 1 {
		t.Fatalf("report -mail: exit %d, %d messages\nstdout:\n%s\nstderr:\n%s", code, len(smtp.Messages()), out, stderr)
	}
	t.Logf("stderr:\n%s", stderr)
	for _, line := range strings.Split(strings.TrimSpace(stderr), "\n") {
		if strings.HasPrefix(line, "{") || strings.Contains(line, `"level"`) {
			t.Errorf("a JSON log line on stderr: %s", line)
		}
		if line != "" && !strings.HasPrefix(line, "syncd report: ") {
			t.Errorf("a line that does not say whose it is: %s", line)
		}
	}
	for _, want := range []string{"old report deleted", "leads-2020-01-01.xlsx", "report mailed"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
}
