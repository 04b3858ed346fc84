package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestDayBeforeInstallationSaysSo: `syncd report -date` of a day before
// syncd was installed made a report that said "Nothing was received on
// this day: no leads, no portal submissions, no feed imports.", and its
// subject "No leads": a manager read a dead intake on a day syncd did not
// run. It says the day ended before syncd was installed, and when.
func TestDayBeforeInstallationSaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	installed := time.Date(2026, 3, 20, 10, 15, 0, 0, loc)
	summary, text, html, subject := installedReport(t, db, report.Day{Year: 2026, Month: 3, Day: 15}, installed)
	want := "This day ended before syncd was installed (2026-03-20 10:15 CET): nothing of it was received."
	for _, c := range []struct{ what, got string }{{"Summary", summary}, {"mail text", text}, {"mail's HTML", html}} {
		if !strings.Contains(c.got, want) || strings.Contains(c.got, "Nothing was received") {
			t.Errorf("the %s of a day before the installation:\n%s\nwant it to say %q", c.what, c.got, want)
		}
	}
	if want := "No leads (before syncd was installed) · Sun 15 Mar 2026"; subject != want {
		t.Errorf("the subject of a day before the installation: %q, want %q", subject, want)
	}
}

// TestInstallationDaySaysWhenSyncdStarted: the report of the day syncd
// was installed, at 10:15, counted its 1 lead against nothing and said
// nothing of the hours before, when the portals still sent elsewhere: a
// manager read a quiet day. It says that syncd was installed at 10:15
// that day and received nothing before; a day with nothing since says so.
func TestInstallationDaySaysWhenSyncdStarted(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	day := report.Day{Year: 2026, Month: 3, Day: 20}
	installed := time.Date(2026, 3, 20, 10, 15, 0, 0, loc)
	want := "syncd was installed at 10:15 CET on this day: what was sent before then did not reach it and is not counted here."

	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: time.Date(2026, 3, 20, 15, 0, 0, 0, loc)})
	summary, text, html, subject := installedReport(t, db, day, installed)
	for _, c := range []struct{ what, got string }{{"Summary", summary}, {"mail text", text}, {"mail's HTML", html}} {
		if !strings.Contains(c.got, want) {
			t.Errorf("the %s of the installation day:\n%s\nwant it to say %q", c.what, c.got, want)
		}
	}
	if want := "1 lead (syncd installed 10:15) · Fri 20 Mar 2026"; subject != want {
		t.Errorf("the subject of the installation day: %q, want %q", subject, want)
	}

	summary, text, _, _ = installedReport(t, openDB(t), day, installed)
	want = "Nothing was received on this day since syncd was installed at 10:15 CET: no leads, no portal submissions, no feed imports."
	if !strings.Contains(text, want) {
		t.Errorf("the mail text of an empty installation day:\n%s\nwant it to say %q", text, want)
	}
	if want := strings.Replace(want, "this day", "Friday 20 March 2026", 1); !strings.Contains(summary, want) {
		t.Errorf("the Summary of an empty installation day:\n%s\nwant it to say %q", summary, want)
	}
}

// installedReport makes day's report the next morning in a fresh reports
// directory, syncd installed at installed, and returns the text of its
// Summary sheet, and the mail's text, HTML and subject recorded with it.
func installedReport(t *testing.T, db *sqlite.DB, day report.Day, installed time.Time) (summary, text, html, subject string) {
	t.Helper()
	now := time.Date(2026, 3, 21, 6, 0, 0, 0, installed.Location())
	return summaryAndMail(t, db, day, report.Options{Location: installed.Location(), Installed: installed,
		Now: func() time.Time { return now }})
}
