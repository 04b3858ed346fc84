package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
	"github.com/syncd-dev/syncd/internal/syncd"
)

// TestInstallationDayWhoseLeadsWereErasedSaysSo: syncd was installed at
// 08:30 on Tuesday 1 December 2026, two leads came after, one person's,
// and syncd erase removed them at noon. The report of that day, made by
// hand the same afternoon (syncd report -date today) or the next morning,
// said "Nothing was received on this day since syncd was installed at
// 08:30 CET: no leads, ..." while its subject said "No leads (2 erased)":
// the text read as a dead intake, the subject as two leads. The text says
// that 2 leads were received and erased since, and that nothing else was
// received since syncd was installed.
func TestInstallationDayWhoseLeadsWereErasedSaysSo(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	for _, c := range []struct {
		what    string
		made    time.Time
		subject string
	}{
		{"made by hand the same afternoon", time.Date(2026, 12, 1, 14, 0, 0, 0, copenhagen(t)), "No leads so far (to 14:00, 2 erased) · Tue 1 Dec 2026"},
		{"made the next morning", time.Date(2026, 12, 2, 6, 0, 0, 0, copenhagen(t)), "No leads (2 erased) · Tue 1 Dec 2026"},
	} {
		t.Run(c.what, func(t *testing.T) {
			e := newErasedDay(t)
			e.lead(9, "Jane Doe", "jane.doe@example.com")
			e.lead(10, "Jane Doe", "jane.doe@example.com")
			s := syncd.Subject{ID: "jane.doe@example.com", Keys: []syncd.Key{{Kind: syncd.KeyEmail, Value: "jane.doe@example.com"}},
				Patterns: []string{"jane.doe@example.com"}}
			ctx := context.Background()
			at(e.db, time.Date(2026, 12, 1, 12, 0, 0, 0, e.loc), func() {
				pd, err := e.db.PersonData(ctx, s)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := e.db.Erase(ctx, s, pd, ""); err != nil {
					t.Fatal(err)
				}
			})
			summary, text, html, subject := summaryAndMail(t, e.db, e.day, report.Options{Location: e.loc,
				Installed: time.Date(2026, 12, 1, 8, 30, 0, 0, e.loc), Now: func() time.Time { return c.made }})
			if subject != c.subject {
				t.Errorf("subject %q, want %q", subject, c.subject)
			}
			wantText := "2 leads were received on this day and erased since (syncd erase): nothing of them is shown. " +
				"Nothing else was received since syncd was installed at 08:30 CET: no portal submissions, no feed imports."
			wantSummary := strings.Replace(wantText, "this day", "Tuesday 1 December 2026", 1)
			for _, g := range []struct{ what, got, want string }{
				{"Summary", strings.Join(strings.Fields(summary), " "), wantSummary},
				{"mail text", strings.Join(strings.Fields(text), " "), wantText},
				{"mail's HTML", html, "2 leads were received on this day and erased since"},
			} {
				if !strings.Contains(g.got, g.want) || strings.Contains(g.got, "Nothing was received") {
					t.Errorf("the %s of the installation day whose 2 leads were erased:\n%s\nwant it to say %q", g.what, g.got, g.want)
				}
			}
			e.noPerson(summary, text, html)
		})
	}
}
