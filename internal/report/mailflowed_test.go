package report_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestReportMailsTextLinesFit: the report mail's text part had lines
// longer than a mail window ("Nothing was received on this day: no leads,
// no portal submissions, no feed imports." and longer on a busy day), which
// quoted-printable broke mid-word on the wire and a program showing the
// text as sent ran off its window. As sent, its lines are now 78
// characters or less, broken after a space (format=flowed), and a program
// that reads format=flowed shows the text the report wrote.
func TestReportMailsTextLinesFit(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	day := report.Day{Year: 2026, Month: 3, Day: 17}
	for i, n := range []int{97, 104, 88, 35, 41, 100, 118} {
		d := day.AddDays(i - 7)
		made := time.Date(d.Year, d.Month, d.Day+1, 6, 0, 0, 0, loc)
		if err := db.RecordReport(ctx, report.Record{Day: d.String(), Path: d.FileName(), Leads: n, CreatedAt: made}); err != nil {
			t.Fatal(err)
		}
	}
	srv := mailtest.Start(t, "syncd", "pw")
	_, err := report.Make(ctx, day, report.Options{Store: db, Dir: t.TempDir(), Location: loc, Mailer: mailer(t, srv),
		Installed: time.Date(2026, 3, 1, 9, 0, 0, 0, loc), Now: func() time.Time { return time.Date(2026, 3, 18, 6, 0, 0, 0, loc) }})
	if err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	const nothing = "Nothing was received on this day: no leads, no portal submissions, no feed imports.\n"
	if !strings.Contains(p.Text, nothing) {
		t.Errorf("the text, read as format=flowed, does not say %q:\n%s", nothing, p.Text)
	}
	for _, line := range strings.Split(p.TextSent, "\n") {
		if n := utf8.RuneCountInString(line); n > 78 {
			t.Errorf("a line of %d characters as sent: %q", n, line)
		}
	}
}
