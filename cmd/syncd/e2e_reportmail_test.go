package main_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
)

// TestReportMailByHand runs `syncd report -mail` as an operator trying the
// mail set-up does: against a mail server that is down it answers at once,
// exit 1, with what the server said and the workbook kept (it waited out
// the daemon's back-off before, minutes with no word but warnings), and
// against one that is up it mails the workbook once.
func TestReportMailByHand(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	downPort := closedPort(t) // nothing listens there
	smtp := mailtest.Start(t, "", "")

	report := func(host string, port int, to string) (stdout, stderr string, code int, took time.Duration) {
		dir := t.TempDir()
		cfg := configYAML(dir, []string{e2eLBToken}, "report:\n  mail: {host: "+host+", port: "+
			strconv.Itoa(port)+", tls: none, from: syncd@example.com, to: ["+to+"]}\n")
		file := filepath.Join(dir, "syncd.yaml")
		if err := os.WriteFile(file, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		makeDB(t, dir)
		ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
		defer cancel()
		cmd := syncdCmdContext(ctx, "report", "-mail", "-config", file)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &exit) && ctx.Err() == nil:
			code = exit.ExitCode()
		default:
			t.Fatalf("syncd report -mail did not end by itself: %v\n%s", err, errb.String())
		}
		return out.String(), errb.String(), code, time.Since(start)
	}

	stdout, stderr, code, took := report("127.0.0.1", downPort, "manager@example.com")
	if code != 1 || !strings.Contains(stderr, "connection refused") ||
		!strings.Contains(stderr, "run the same command again to retry the mail") {
		t.Fatalf("mail server down: exit %d after %s\n%s", code, took, stderr)
	}
	if path := strings.TrimSpace(stdout); !strings.HasSuffix(path, ".xlsx") {
		t.Fatalf("no workbook named: %q", stdout)
	} else if _, err := os.Stat(path); err != nil {
		t.Fatalf("workbook not kept: %v", err)
	}

	if _, stderr, code, _ := report(smtp.Host, smtp.Port, "manager@example.com"); code != 0 || len(smtp.Messages()) != 1 {
		t.Fatalf("mail server up: exit %d, %d messages\n%s", code, len(smtp.Messages()), stderr)
	}
	if to := smtp.Messages()[0].To; len(to) != 1 || to[0] != "manager@example.com" {
		t.Fatalf("mailed to %v", to)
	}
	// The mail names syncd's version as `syncd version` prints it, not the
	// mail library's (go-mail's default named itself to every recipient).
	ver, err := syncdCmd("version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if p, err := smtp.Messages()[0].Parse(); err != nil {
		t.Fatal(err)
	} else if ua, xm := p.Header.Get("User-Agent"), p.Header.Get("X-Mailer"); ua != strings.TrimSpace(string(ver)) || xm != ua {
		t.Fatalf("User-Agent %q, X-Mailer %q: want %q", ua, xm, strings.TrimSpace(string(ver)))
	}

	// One recipient refused: the other gets it; exit 1 naming the refused
	// address, and no advice to run it again (that would mail twice).
	_, stderr, code, _ = report(smtp.Host, smtp.Port, "manager@example.com, gone@refused.example")
	if msgs := smtp.Messages(); code != 1 || len(msgs) != 2 || strings.Join(msgs[1].To, ",") != "manager@example.com" ||
		!strings.Contains(stderr, "mailed to manager@example.com;") || !strings.Contains(stderr, "gone@refused.example") ||
		strings.Contains(stderr, "run the same command again") {
		t.Fatalf("one recipient refused: exit %d, %d messages\n%s", code, len(msgs), stderr)
	}

	// Refused for good (550 for the only recipient): the same command
	// again would be refused alike; what to mend comes first.
	_, stderr, code, _ = report(smtp.Host, smtp.Port, "left@refused.example")
	if code != 1 || !strings.Contains(stderr, "left@refused.example") ||
		!strings.Contains(stderr, "the mail server refused it for good: mend what it says") ||
		strings.Contains(stderr, "run the same command again to retry the mail") {
		t.Fatalf("every recipient refused for good: exit %d\n%s", code, stderr)
	}
}

// TestStatusSaysTheReportMailFailed: a report whose mail failed (a wrong
// password, a server down) left `syncd status` showing only when the report
// was made, and a daemon started later said "last report never" until its
// next report: the operator saw nothing wrong while nobody got the reports.
func TestStatusSaysTheReportMailFailed(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	downPort := closedPort(t) // nothing listens there
	addr := freeAddr(t)
	dir := t.TempDir()
	config := filepath.Join(dir, "syncd.yaml")
	yaml := strings.Replace(configYAML(dir, []string{e2eLBToken}, "report:\n"+mailTo("127.0.0.1", downPort)),
		"listen: 127.0.0.1:0", "listen: "+addr, 1)
	if err := os.WriteFile(config, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	makeDB(t, dir)
	if _, stderr, code := syncdRun(t, "report", "-mail", "-config", config); code != 1 {
		t.Fatalf("report -mail to a server that is down: exit %d\n%s", code, stderr)
	}
	const want = "mail FAILED"
	ofDay := regexp.MustCompile(`last report +20\d\d-.*, of 20\d\d-\d\d-\d\d\n`) // which day it was of
	if out, _, code := syncdRun(t, "status", "-config", config); code != 5 || !strings.Contains(out, want) || !ofDay.MatchString(out) {
		t.Fatalf("status from the database: exit %d, want %q and the report's day\n%s", code, want, out)
	}
	d := start(t, config)
	defer d.stop(t, syscall.SIGTERM)
	out, _, code := syncdRun(t, "status", "-config", config)
	if code != 5 || !strings.Contains(out, "running since") || !strings.Contains(out, want) ||
		strings.Contains(out, "last report   never") || !ofDay.MatchString(out) {
		t.Fatalf("status of the daemon: exit %d, want %q and the report's time\n%s", code, want, out)
	}
}
