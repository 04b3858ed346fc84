package report_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/mail/mailtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestMailSaysWhenItWasMadeAndWhichYear: the mail's HTML part said when
// the report was made ("Times are Europe/Copenhagen · made 2026-03-30
// 06:00 CEST"), its text part did not, so that a manager reading the text
// (a phone's preview, a client showing no HTML) could not tell a report
// made that morning from one made again later; and its subject ended
// "· Sun 29 Mar", no year, so that a mail found by search a year on could
// be of either. The text says when it was made, on the line under its
// first, as the HTML does (and, made again, when and why); the subject
// ends with the day and its year, "· Sun 29 Mar 2026".
func TestMailSaysWhenItWasMadeAndWhichYear(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx, m := context.Background(), newMadeAgain(t)
	srv := mailtest.Start(t, "syncd", "pw")
	opts := m.options(time.Date(2026, 3, 30, 6, 0, 0, 0, m.loc))
	opts.Mailer = mailer(t, srv)
	if _, err := report.Make(ctx, m.day, opts); err != nil {
		t.Fatal(err)
	}
	p := srv.Only(t)
	lines := strings.Split(strings.ReplaceAll(p.Text, "\r\n", "\n"), "\n")
	if want := "Made 2026-03-30 06:00 CEST."; len(lines) < 2 || lines[1] != want {
		t.Errorf("the mail's text does not say when the report was made on its second line, %q:\n%s", want, p.Text)
	}
	if !strings.Contains(p.HTML, "made 2026-03-30 06:00 CEST") {
		t.Errorf("the mail's HTML no longer says when the report was made:\n%s", p.HTML)
	}
	if !strings.HasSuffix(p.Subject, " · Sun 29 Mar 2026") {
		t.Errorf("subject %q: want it to end with the day and its year, %q", p.Subject, " · Sun 29 Mar 2026")
	}
	// Made again a fortnight later (syncd erase): the text recorded for
	// its mail says both times, and why it may list less.
	again := m.options(time.Date(2026, 4, 13, 10, 2, 0, 0, m.loc))
	again.Again = true
	if _, err := report.Make(ctx, m.day, again); err != nil {
		t.Fatal(err)
	}
	recs, err := m.db.Reports(ctx, m.day.String())
	if err != nil || len(recs) != 1 {
		t.Fatalf("records: %v, %v", recs, err)
	}
	want := "Made 2026-03-30 06:00 CEST · made again 2026-04-13 10:02 CEST without what syncd erase or the retention purge removed since."
	if !slices.Contains(strings.Split(recs[0].Summary, "\n"), want) {
		t.Errorf("the mail text of the report made again lacks %q:\n%s", want, recs[0].Summary)
	}
}
