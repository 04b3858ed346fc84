package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailFromAHostTheServerRefuses: a mail server that refuses this
// host at its greeting (554, its address on a block list, or not one the
// server lets send) had `syncd report -mail` say `the server answered 554
// … before any message was sent` and to mend "report.mail's recipients or
// login", neither of which is at fault. It now says that the server takes
// no mail from this host, and what to do: have its administrator let it
// send, or send through another server.
func TestReportMailFromAHostTheServerRefuses(t *testing.T) {
	t.Parallel()
	srv := mailtest.StartRough(t, false)
	srv.Greet("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org")
	dir := t.TempDir()
	file := filepath.Join(dir, "syncd.yaml")
	if err := os.WriteFile(file, []byte(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", srv.Port))), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	_, stderr, code := syncdRun(t, "report", "-date", "2026-11-02", "-mail", "-config", file)
	if code != 1 || strings.Contains(stderr, "recipients or login") ||
		!strings.Contains(stderr, "the server takes no mail from this host (554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked") ||
		!strings.Contains(stderr, "ask its administrator to let this host send, or send through another server (host)") {
		t.Fatalf("report -mail from a host the server refuses: exit %d, want 1, saying the server takes no mail from this "+
			"host and what to do\n%s", code, stderr)
	}
}
