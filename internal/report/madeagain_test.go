package report_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestWorkbookMadeAgainSaysWhen: the day's workbook was made and mailed
// the next morning; a fortnight later syncd erase made it again without
// a person. Its heading said only "made" at the erase, and a manager
// comparing it with the mailed copy (one lead fewer) had nothing to tell
// why. It says when it was made, and when and why it was made again.
func TestWorkbookMadeAgainSaysWhen(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx, m := context.Background(), newMadeAgain(t)
	if _, err := report.Make(ctx, m.day, m.options(time.Date(2026, 3, 30, 6, 0, 0, 0, m.loc))); err != nil {
		t.Fatal(err)
	}
	again := m.options(time.Date(2026, 4, 13, 10, 2, 0, 0, m.loc))
	again.Again = true
	path, err := report.Make(ctx, m.day, again)
	if err != nil {
		t.Fatal(err)
	}
	heading := rows(t, openBook(t, path), "Summary")[1][0]
	if !strings.Contains(heading, "made 2026-03-30 06:00 CEST") || !strings.Contains(heading, "made again 2026-04-13 10:02 CEST") {
		t.Errorf("the heading of the workbook made again: %q; want when it was made, and when made again", heading)
	}
}

// TestWorkbookMadeAgainKeepsTheAlarmsOfAnOlderRecord: the day's report
// was recorded by a version that kept its alarms only in the summary
// text (ALARM: lines); the first erase after the upgrade made the
// workbook again without them. It takes them from that text, leaving the
// alarms the day's rows raise (an unrecognised event) to the rows as they
// are now, and keeps, too, what the report said when the alarms could not
// be read.
func TestWorkbookMadeAgainKeepsTheAlarmsOfAnOlderRecord(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx, m := context.Background(), newMadeAgain(t)
	restored := "Since 2026-03-28 03:00 CET: syncd was restored from a backup taken then; leads answered until " +
		"2026-03-30 07:12 CEST may be lost (until 2026-03-30 07:12 CEST)"
	summary := "Leads report for Sunday 29 March 2026 (times in Europe/Copenhagen).\n\n" +
		"ALARM: " + restored + "\n" +
		"ALARM: 2 unrecognised events: their bodies do not fit their source's kind (a sender posting to the wrong source?); see Needs attention\n" +
		"ALARM: the alarms could not be read: database is locked\n\nLeads: 4\n"
	if err := m.db.RecordReport(ctx, report.Record{Day: "2026-03-29", Path: filepath.Join(m.dir, "leads-2026-03-29.xlsx"),
		CreatedAt: time.Date(2026, 3, 30, 6, 0, 0, 0, m.loc), Leads: 4, Summary: summary, Mail: report.MailSent}); err != nil {
		t.Fatal(err)
	}
	again := m.options(time.Date(2026, 4, 13, 10, 2, 0, 0, m.loc))
	again.Again = true
	path, err := report.Make(ctx, m.day, again)
	if err != nil {
		t.Fatal(err)
	}
	alarms := summaryAlarms(t, path)
	want := []string{"ALARM: " + restored, "ALARM: the alarms could not be read: database is locked"}
	if strings.Join(alarms, "\n") != strings.Join(want, "\n") {
		t.Errorf("alarms of the workbook made again:\n%s\nwant\n%s", strings.Join(alarms, "\n"), strings.Join(want, "\n"))
	}
}

// TestWorkbookMadeAgainSaysTheAlarmsWereUnreadable: the day's report
// showed the alarms it could read and said that the others could not be
// read; made again, it says so still rather than pass for a day with the
// first alone.
func TestWorkbookMadeAgainSaysTheAlarmsWereUnreadable(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx, m := context.Background(), newMadeAgain(t)
	paused := report.Alarm{Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected."}
	first := m.options(time.Date(2026, 3, 30, 6, 0, 0, 0, m.loc))
	first.Alarms = func(context.Context) ([]report.Alarm, error) {
		return []report.Alarm{paused}, errors.New("restore alarm: database is locked")
	}
	if _, err := report.Make(ctx, m.day, first); err != nil {
		t.Fatal(err)
	}
	again := m.options(time.Time{})
	again.Again = true
	path, err := report.Make(ctx, m.day, again)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ALARM: " + paused.Text, "ALARM: the alarms could not be read: restore alarm: database is locked"}
	if got := summaryAlarms(t, path); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the alarms of the workbook made again: %q, want %q", got, want)
	}
}

// TestKeptWorkbookMadeAgainSaysWhenItWasMade: the reports directory held
// a day's workbook the database does not record (made before the
// database was restored from an older backup; the restore's first start
// purges, and makes the workbooks of the days it purged again). Made
// again, it said only "made" at the purge, as if made then from the day's
// data, one lead fewer than the copy the manager was mailed, without a
// word, nor its alarm banners (the CRM paused that day); and its record,
// made then, took the place of the latest report. It says when it was
// first made (the file's time) and made again, keeps the banners the file
// showed, and its record keeps that time, as a workbook kept from before
// a restore.
func TestKeptWorkbookMadeAgainSaysWhenItWasMade(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx, m := context.Background(), newMadeAgain(t)
	first := time.Date(2026, 3, 30, 6, 0, 4, 0, m.loc)
	kept := m.options(first)
	kept.Out = filepath.Join(m.dir, "leads-2026-03-29.xlsx") // made, as before the restore, and not recorded
	paused := report.Alarm{Short: "CRM paused", Text: "CRM adapter hubspot is paused: authentication rejected."}
	kept.Alarms = func(context.Context) ([]report.Alarm, error) { return []report.Alarm{paused}, nil }
	if _, err := report.Make(ctx, m.day, kept); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(kept.Out, first, first); err != nil {
		t.Fatal(err)
	}
	again := m.options(time.Date(2026, 4, 13, 10, 2, 0, 0, m.loc))
	again.Again = true
	path, err := report.Make(ctx, m.day, again)
	if err != nil {
		t.Fatal(err)
	}
	heading := rows(t, openBook(t, path), "Summary")[1][0]
	if !strings.Contains(heading, "made 2026-03-30 06:00 CEST") || !strings.Contains(heading, "made again 2026-04-13 10:02 CEST") {
		t.Errorf("the heading of the kept workbook made again: %q; want when it was made, and when made again", heading)
	}
	want := []string{"ALARM: " + paused.Text}
	if got := summaryAlarms(t, path); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the alarms of the kept workbook made again:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	recs, err := m.db.Reports(ctx, "2026-03-29")
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v, %v", recs, err)
	}
	if r := recs[0]; !r.CreatedAt.Equal(first) || r.Mail != report.MailKept {
		t.Errorf("the kept workbook made again is recorded as made %s, mail %q; want %s, kept", r.CreatedAt, r.Mail, first)
	}
}

// summaryAlarms are the alarm banners of the workbook at path's Summary,
// each on one line (the report breaks their lines).
func summaryAlarms(t *testing.T, path string) []string {
	t.Helper()
	var alarms []string
	for _, row := range rows(t, openBook(t, path), "Summary") {
		if len(row) > 0 && strings.HasPrefix(row[0], "ALARM: ") {
			alarms = append(alarms, strings.ReplaceAll(row[0], "\n", " "))
		}
	}
	return alarms
}

// madeAgain is what each test of a workbook made again starts from: the
// leads of 29 March 2026 (fill0329) in a database, and a reports
// directory.
type madeAgain struct {
	db  *sqlite.DB
	loc *time.Location
	dir string
	day report.Day
}

func newMadeAgain(t *testing.T) madeAgain {
	t.Helper()
	m := madeAgain{db: openDB(t), loc: copenhagen(t), dir: t.TempDir(), day: report.Day{Year: 2026, Month: 3, Day: 29}}
	fill0329(t, m.db, m.loc)
	return m
}

// options are the options of a report of the day into the directory, made
// at now (the zero time: the clock's now).
func (m madeAgain) options(now time.Time) report.Options {
	o := report.Options{Store: m.db, Dir: m.dir, Location: m.loc}
	if !now.IsZero() {
		o.Now = func() time.Time { return now }
	}
	return o
}
