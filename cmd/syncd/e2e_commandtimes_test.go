package main_test

import (
	"regexp"
	"syscall"
	"testing"
	"time"
)

// TestCommandLogLinesShowTimesInTheReportZone: the lines a command logs in
// words (syncd sync's "crm adapter paused … paused_until=…") gave their
// times in the process's zone as RFC 3339 (2026-12-01T09:39:50Z on a
// server in UTC, 04:39:50-05:00 in New York), while the line above them
// on stdout, status and the report gave the same time in report.time_zone
// with the offset. They are now shown the one way every command shows
// times: in report.time_zone (Europe/Copenhagen here), with the offset,
// whatever TZ the shell has.
func TestCommandLogLinesShowTimesInTheReportZone(t *testing.T) {
	t.Parallel()
	p := startPausedOnToken(t)
	if err := p.d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := syncdRunEnv(t, "TZ=America/New_York", "sync", "-resume", "-config", p.config)
	t.Logf("syncd sync -resume on the rejected token, TZ=America/New_York: exit %d\n%s%s", code, out, stderr)
	if code != 5 {
		t.Fatalf("exit %d, want 5 (paused on the rejected token again)", code)
	}
	const layout = "2006-01-02 15:04:05 -07:00"
	onStdout := regexp.MustCompile(`adapter paused until (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d)`).FindStringSubmatch(out)
	if onStdout == nil {
		t.Fatal("stdout does not say until when the adapter is paused")
	}
	until, err := time.Parse(layout, onStdout[1])
	if err != nil {
		t.Fatal(err)
	}
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	if want := until.In(cph).Format(layout); onStdout[1] != want {
		t.Fatalf("stdout's pause ends at %s, not in report.time_zone (%s)", onStdout[1], want)
	}
	mustContain(t, "sync's log line of the pause", stderr, "syncd sync: error: crm adapter paused", `paused_until="`+onStdout[1]+`"`)
}
