package main_test

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStatusSaysWhenSyncdDidNotReceive: the daemon's runs were told in
// the report only: after a night the daemon was stopped for hours, syncd
// status, running it or not, said nothing of it. With no daemon it says
// since when none received; the daemon started again, from when to when
// none did (since the start of yesterday, in report.time_zone), and what
// became of the deliveries then, as the senders document their retries
// (Lokalebasen's intervals not given: it said "over about a day").
func TestStatusSaysWhenSyncdDidNotReceive(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: UTC\n")
	file := filepath.Join(dir, "data", "syncd.db")
	show := func(at time.Time) string { return at.UTC().Format("2006-01-02 15:04:05 -07:00") }

	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}
	stopped := intakeRunsOf(t, file, func(r []run) []run {
		return []run{{From: r[0].From.Add(-3 * time.Hour), To: r[0].To.Add(-3 * time.Hour)}}
	})[0].To.Add(-3 * time.Hour)

	out, stderr, _ := syncdRun(t, "status", "-config", config)
	if want := "intake        NOT RECEIVING since " + show(stopped); !strings.Contains(out, want) {
		t.Errorf("status with no daemon, none run for 3 hours:\n%s%s\nwant the line %q", out, stderr, want)
	}

	d = start(t, config)
	out, stderr, _ = syncdRun(t, "status", "-config", config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}
	got := intakeRunsOf(t, file, nil)
	if len(got) != 2 {
		t.Fatalf("the runs of a daemon stopped for 3 hours, then started: %+v", got)
	}
	if want := "intake        syncd did not receive from " + show(stopped) + " to " + show(got[1].From) + " (" + statusAge(got[1].From.Sub(stopped)) + ")"; !strings.Contains(out, want) ||
		strings.Contains(out, "NOT RECEIVING") {
		t.Errorf("status of the daemon started again after 3 hours:\n%s%s\nwant the line %q, and nothing not received now", out, stderr, want)
	}
	if want := "retried by their sender or lost (Estate Agent Feeds tries twice more, 30 minutes apart; " +
		"Lokalebasen up to 20 times, how far apart it does not say)"; !strings.Contains(out, want) {
		t.Errorf("status of the daemon started again after 3 hours:\n%s%s\nwant it to say %q", out, stderr, want)
	}
}

// statusAge is d as status says a duration of an hour or more: to the
// minute, without its zero units ("3h", "3h10m").
func statusAge(d time.Duration) string {
	s := d.Round(time.Minute).String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
