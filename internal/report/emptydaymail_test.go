package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestEmptyDaysMailSaysTheDaysBefore: on a Tuesday nothing was received,
// where the week before had 83 leads a day (the senders' webhooks
// pointed elsewhere, say). The mail's text said "Leads: 0; 118 the day
// before, 83.3 a day on average over the week before", but its HTML part,
// the one a mail program shows, said only "Nothing was received on this
// day", as of a quiet Sunday: the manager had no way to tell the day was
// anything but quiet. The HTML says the days before as the text does.
func TestEmptyDaysMailSaysTheDaysBefore(t *testing.T) {
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
	const change = "118 the day before, 83,3 a day on average over the week before"
	if !strings.Contains(p.Text, "Leads: 0; "+change) {
		t.Fatalf("the text does not say %q:\n%s", change, p.Text)
	}
	lines := htmlLines(t, p)
	if !strings.Contains(strings.Join(lines, "\n"), "Nothing was received on this day") ||
		!strings.Contains(strings.Join(lines, "\n"), "No leads ("+change+")") {
		t.Errorf("the HTML does not say the day was empty and %q:\n%s", "No leads ("+change+")", strings.Join(lines, "\n"))
	}
}
