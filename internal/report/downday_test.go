package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestDaySyncdWasDownSaysWhen: a day the daemon was stopped from 02:10 to
// 07:45 made a report of the leads received in the other hours and said
// nothing of those: a manager read a quiet day. Its Summary, mail text and
// HTML say when syncd did not receive and what became of what was sent
// then, and its subject how long; a restart of a minute is not told, nor
// anything before the first run recorded, nor the time between a backup
// and its restore; an empty day says it as well, and a stop not ended
// when the report is made says so. What became of the deliveries is what
// the senders document of their retries: Lokalebasen's intervals are not
// given (it said "over about a day", which nothing the sender publishes
// says).
func TestDaySyncdWasDownSaysWhen(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	at := func(d, h, m int) time.Time { return time.Date(2026, 3, d, h, m, 0, 0, loc) }
	day := report.Day{Year: 2026, Month: 3, Day: 20}
	runs := []report.Span{
		{From: at(19, 9, 0), To: at(20, 2, 10)},
		{From: at(20, 7, 45), To: at(20, 12, 0)},
		{From: at(20, 12, 1), To: at(21, 6, 0)}, // a restart
	}
	want := "syncd did not receive from 02:10 to 07:45 (5,6 hours): leads sent then were retried by the sender or lost " +
		"(Estate Agent Feeds tries twice more, 30 minutes apart; Lokalebasen up to 20 times, how far apart it does not say)"

	db := openDB(t)
	insertEvent(t, db, event{kind: "lokalebasen", typ: "enquiry_created", body: fixture(t, "lokalebasen/enquiry_created.json"),
		at: at(20, 15, 0)})
	summary, text, html, subject := downReport(t, db, day, runs, at(21, 6, 0))
	for _, c := range []struct{ what, got string }{{"Summary", summary}, {"mail text", text}, {"mail's HTML", html}} {
		if !strings.Contains(c.got, want) || strings.Count(c.got, "did not receive") != 1 {
			t.Errorf("the %s of a day syncd was stopped from 02:10 to 07:45:\n%s\nwant it to say %q, once", c.what, c.got, want)
		}
	}
	if want := "1 lead · syncd not receiving 5,6 hours · Fri 20 Mar 2026"; subject != want {
		t.Errorf("the subject of a day syncd was stopped for 5.6 hours: %q, want %q", subject, want)
	}

	summary, text, _, _ = downReport(t, openDB(t), day, runs, at(21, 6, 0))
	for _, c := range []struct{ what, got string }{{"Summary", summary}, {"mail text", text}} {
		if !strings.Contains(c.got, "Nothing was received") || !strings.Contains(c.got, want) {
			t.Errorf("the %s of an empty day syncd was stopped from 02:10 to 07:45:\n%s\nwant it to say %q", c.what, c.got, want)
		}
	}

	// A backup taken at 02:10 restored at 07:45: it received then (what
	// the restore lost, its alarm tells).
	restored := report.Options{Location: loc, BackupTaken: at(20, 2, 10), RestoredAt: at(20, 7, 45),
		Ran: func(context.Context) ([]report.Span, error) { return runs, nil }, Now: func() time.Time { return at(21, 6, 0) }}
	if _, text, _, _ = summaryAndMail(t, openDB(t), day, restored); strings.Contains(text, "did not receive") {
		t.Errorf("the mail text of a day a backup taken at 02:10 was restored at 07:45:\n%s\nwant nothing of a stop", text)
	}

	// Nothing recorded before 07:45 (a syncd that did not record its
	// runs); stopped at 20:00 and not started again by 06:00.
	_, text, _, subject = downReport(t, openDB(t), day, runs[1:2], at(21, 6, 0))
	if want := "syncd did not receive from 12:00 to when this report was made, Sat 21 Mar 06:00 (18 hours)"; !strings.Contains(text, want) ||
		strings.Contains(text, "07:45") {
		t.Errorf("the mail text of a day syncd was stopped at 12:00, not started again:\n%s\nwant it to say %q, and nothing of 07:45", text, want)
	}
	if want := "No leads · syncd not receiving 18 hours · Fri 20 Mar 2026"; subject != want {
		t.Errorf("subject %q, want %q", subject, want)
	}
}

// downReport makes day's report at now in a fresh reports directory, the
// daemon having run runs, and returns what summaryAndMail does.
func downReport(t *testing.T, db *sqlite.DB, day report.Day, runs []report.Span, now time.Time) (summary, text, html, subject string) {
	t.Helper()
	return summaryAndMail(t, db, day, report.Options{Location: now.Location(),
		Ran: func(context.Context) ([]report.Span, error) { return runs, nil }, Now: func() time.Time { return now }})
}

// summaryAndMail makes day's report from db with opts in a fresh reports
// directory, and returns the text of its Summary sheet, and the mail's
// text, HTML and subject recorded with it.
func summaryAndMail(t *testing.T, db *sqlite.DB, day report.Day, opts report.Options) (summary, text, html, subject string) {
	t.Helper()
	ctx := context.Background()
	opts.Store, opts.Dir = db, t.TempDir()
	path, err := report.Make(ctx, day, opts)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := db.Reports(ctx, day.String())
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v, %v", recs, err)
	}
	return summaryOf(t, openBook(t, path)), recs[0].Summary, recs[0].HTML, recs[0].Subject
}

// summaryOf is the text of f's Summary sheet, a line a row, its cells
// apart by " | ".
func summaryOf(t *testing.T, f *excelize.File) string {
	t.Helper()
	var lines []string
	for _, row := range rows(t, f, "Summary") {
		lines = append(lines, strings.Join(row, " | "))
	}
	return strings.Join(lines, "\n")
}
