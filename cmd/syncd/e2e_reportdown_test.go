package main_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestReportSaysWhenTheDaemonWasStopped: nothing recorded when the
// daemon ran, so the report of a day it was stopped for 5 hours showed
// the leads of the other hours as those of a quiet day. The daemon
// records its run, from its start to its stop; a daemon stopped (its run
// moved 5 hours back here) and started again leaves a gap that
// `syncd report` of the day names, from the stop to the start.
func TestReportSaysWhenTheDaemonWasStopped(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "report:\n  time_zone: UTC\n")
	file := filepath.Join(dir, "data", "syncd.db")
	runs := func(edit func([]run) []run) []run { return intakeRunsOf(t, file, edit) }

	before := time.Now()
	d := start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}
	first := runs(func(r []run) []run {
		if len(r) != 1 || r[0].From.Before(before.Add(-time.Second)) || r[0].To.Before(r[0].From) || time.Since(r[0].To) > time.Minute {
			t.Fatalf("the run of a daemon started at %s and stopped: %+v", before, r)
		}
		return []run{{From: r[0].From.Add(-5 * time.Hour), To: r[0].To.Add(-5 * time.Hour)}}
	})
	d = start(t, config)
	if err := d.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("stop: %v\n%s", err, d.log())
	}
	got := runs(nil)
	if len(got) != 2 || !got[0].To.Equal(first[0].To.Add(-5*time.Hour)) || !got[1].From.After(got[0].To.Add(4*time.Hour)) {
		t.Fatalf("the runs of a daemon stopped for 5 hours, then started: %+v", got)
	}

	day := got[1].From.UTC()
	clock := func(at time.Time) string {
		if at.UTC().Format(time.DateOnly) != day.Format(time.DateOnly) {
			return at.UTC().Format("Mon 2 Jan 15:04")
		}
		return at.UTC().Format("15:04")
	}
	want := "syncd did not receive from " + clock(got[0].To) + " to " + clock(got[1].From) +
		" (5 hours): leads sent then were retried by the sender or lost"
	out, stderr, code := syncdRun(t, "report", "-date", day.Format(time.DateOnly), "-config", config)
	if code != 0 {
		t.Fatalf("report: exit %d\n%s%s", code, out, stderr)
	}
	if got := summaryText(t, strings.TrimSpace(out)); !strings.Contains(got, want) {
		t.Errorf("the report of a day syncd was stopped for 5 hours:\n%s\nwant it to say %q", got, want)
	}
}

// run is a run of the daemon as recorded in the state row intake_runs.
type run struct{ From, To time.Time }

// intakeRunsOf reads the runs recorded in the SQLite database file; edit,
// if set, changes them, and when syncd was installed (two days before the
// first), before they are written back.
func intakeRunsOf(t *testing.T, file string, edit func([]run) []run) []run {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, file, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	v, ok, err := db.StateValue(ctx, "intake_runs")
	var got []run
	if err != nil || !ok || json.Unmarshal([]byte(v), &got) != nil {
		t.Fatalf("the runs recorded: %q, %v, %v", v, ok, err)
	}
	if edit != nil {
		b, _ := json.Marshal(edit(got))
		if err := db.SetStateValue(ctx, "intake_runs", string(b)); err != nil {
			t.Fatal(err)
		}
		if err := db.SetStateValue(ctx, "installed_at", syncd.FormatTime(got[0].From.Add(-48*time.Hour))); err != nil {
			t.Fatal(err)
		}
	}
	return got
}

// summaryText is the text of the Summary of the workbook at path, a line
// a row, its cells apart by " | ".
func summaryText(t *testing.T, path string) string {
	t.Helper()
	var text []string
	for _, r := range summaryRows(t, path) {
		text = append(text, strings.Join(r, " | "))
	}
	return strings.Join(text, "\n")
}
