package report_test

import (
	"context"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailsPortalFiguresAddUp: the mail's portal table left out the
// Summary's Listings failed column, so that its Still failing, Portal
// retries and Fixed later split a figure it never gave: a listing that
// failed twice and was fixed, and another still failing, read "3 failed;
// listings: 1 still failing, 0 retried by the portal, 1 fixed later",
// one listing short to a manager adding them up. The mail gives the
// listings failed, as the Summary does: "3 failed; 2 listings failed:
// 1 still failing, ...", in the text and as the HTML table's column.
func TestMailsPortalFiguresAddUp(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	submission(t, db, time.UTC, at(8), "rightmove", "A1", "error", "ERR_CODE_1")
	submission(t, db, time.UTC, at(9), "rightmove", "A1", "error", "ERR_CODE_1")
	submission(t, db, time.UTC, at(10), "rightmove", "A1", "success")
	submission(t, db, time.UTC, at(11), "rightmove", "B2", "error", "ERR_CODE_2")
	submission(t, db, time.UTC, at(12), "zoopla", "C3", "success")
	srv := mailtest.Start(t, "syncd", "pw")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	if rows := summaryTable(t, openBook(t, path), "Portal health"); len(rows) != 2 ||
		!slices.Equal(rows[0][:6], []string{"Rightmove", "4", "3", "2", "1", "1"}) {
		t.Fatalf("the Summary's Portal health is %q, want Rightmove 4 3 2 1 1", rows)
	}
	p := srv.Only(t)
	const line = "Rightmove: 4 submissions, 3 failed; 2 listings failed: 1 still failing, 1 fixed later"
	if !slices.Contains(textLines(p), line) {
		t.Errorf("the text lacks %q:\n%s", line, p.Text)
	}
	lines := htmlLines(t, p)
	rows := htmlPortals(lines)
	if len(rows) != 2 || !slices.Equal(rows[0], []string{"Rightmove", "4", "3", "2", "1", "1"}) {
		t.Errorf("the HTML's portal table is %q, want Rightmove 4 3 2 1 1 under its header:\n%q", rows, lines)
	}
	// A portal whose submissions all went through says so, without a
	// split of no listings.
	if regexp.MustCompile(`listings?: 0 still failing`).MatchString(p.Text) || !slices.Contains(textLines(p), "Zoopla: 1 submission, 0 failed") {
		t.Errorf("the text splits listings none failed, or lacks %q:\n%s", "Zoopla: 1 submission, 0 failed", p.Text)
	}
}
