package main_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailPartlyRefusedSaysItOnce: `syncd report -date D -mail`
// whose mail server refused one of two recipients printed the server's
// answer twice on stderr (a warning log line and the summary), and its
// advice said "the others got it" without naming them. It says it once:
// who got it, who was refused and whether for good (correct or remove it
// in report.mail.to) or only for now (the daemon mails it again alone);
// exit 1, as the README's report row says. A mail refused for every
// recipient says the server's answer once too.
func TestReportMailPartlyRefusedSaysItOnce(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	smtp := mailtest.Start(t, "", "")
	smtp.Greylist(0)
	day := time.Now().AddDate(0, 0, -2).Format("2006-01-02")

	report := func(to string) (string, int) {
		dir := t.TempDir()
		cfg := configYAML(dir, []string{e2eLBToken}, "report:\n  mail: {host: "+smtp.Host+", port: "+
			strconv.Itoa(smtp.Port)+", tls: none, from: syncd@example.com, to: ["+to+"]}\n")
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		makeDB(t, dir)
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		cmd := syncdCmdContext(ctx, "report", "-date", day, "-mail", "-config", file)
		var errb strings.Builder
		cmd.Stderr = &errb
		err := cmd.Run()
		var exit *exec.ExitError
		code := 0
		switch {
		case err == nil:
		case errors.As(err, &exit) && ctx.Err() == nil:
			code = exit.ExitCode()
		default:
			t.Fatalf("syncd report -mail did not end by itself: %v\n%s", err, errb.String())
		}
		return errb.String(), code
	}

	stderr, code := report("manager@example.com, gone@refused.example")
	if code != 1 || strings.Count(stderr, "gone@refused.example") != 1 || strings.Count(stderr, "550 5.1.1") != 1 ||
		!strings.Contains(stderr, "manager@example.com") ||
		!strings.Contains(stderr, "refused for good: correct or remove it in report.mail.to") ||
		strings.Contains(stderr, "the others got it") {
		t.Fatalf("one recipient refused for good: exit %d\n%s", code, stderr)
	}

	stderr, code = report("manager@example.com, late@greylist.example")
	if code != 1 || strings.Count(stderr, "late@greylist.example") != 1 || strings.Count(stderr, "450 4.7.1") != 1 ||
		!strings.Contains(stderr, "manager@example.com") ||
		!strings.Contains(stderr, "refused only for now") || !strings.Contains(stderr, "the daemon mails it again") ||
		strings.Contains(stderr, "the others got it") {
		t.Fatalf("one recipient refused for now: exit %d\n%s", code, stderr)
	}

	// Refused for every recipient: the warning log line and the summary
	// gave the server's answer twice too.
	stderr, code = report("gone@refused.example")
	if code != 1 || strings.Count(stderr, "550 5.1.1") != 1 || !strings.Contains(stderr, "gone@refused.example") {
		t.Fatalf("the only recipient refused: exit %d, want 1 and the server's answer once\n%s", code, stderr)
	}
}
