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

// TestListingThePortalWasTooBusyForStaysFailing: a listing whose only
// failure of the day was ERR_PORTAL_TIMEOUT (or ERR_PORTAL_UNAVAILABLE,
// ERR_PORTAL_RATE_LIMITED), with no later success, read "Portal retries",
// "Nothing to do: Estate Agent Feeds retries the submission by itself",
// and was left out of the Summary's Still failing and the mail's count.
// Nothing Estate Agent Feeds publishes says it retries those: a listing
// never resubmitted left the to-do list for good, as the next day's
// report lists only that day's submissions. It is still failing, counted
// so everywhere, its step saying what is known and what to do; a later
// success the same day still fixes it.
func TestListingThePortalWasTooBusyForStaysFailing(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return day.Add(time.Duration(h) * time.Hour) }
	submission(t, db, time.UTC, at(9), "zoopla", "100", "error", "ERR_PORTAL_TIMEOUT")
	submission(t, db, time.UTC, at(10), "zoopla", "200", "error", "ERR_PORTAL_UNAVAILABLE")
	submission(t, db, time.UTC, at(11), "zoopla", "300", "error", "ERR_PORTAL_RATE_LIMITED")
	submission(t, db, time.UTC, at(12), "zoopla", "400", "error", "ERR_PORTAL_TIMEOUT")
	submission(t, db, time.UTC, at(13), "zoopla", "400", "success") // resubmitted: fixed
	srv := mailtest.Start(t, "syncd", "pw")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2}, report.Options{Store: db,
		Dir: t.TempDir(), Location: time.UTC, Mailer: mailer(t, srv), Now: func() time.Time { return day.Add(30 * time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	f := openBook(t, path)
	r := rows(t, f, "Portal failures")
	wantHeader(t, r, wantFailures)
	const step = "The portal was busy or did not answer. Estate Agent Feeds may resubmit the listing by itself; " +
		"if no later submission of it succeeds, resubmit it."
	want := map[string][2]string{
		"100": {"Still failing", step},
		"200": {"Still failing", step},
		"300": {"Still failing", step},
		"400": {"Fixed", "Nothing: a later submission succeeded."},
	}
	got := map[string][2]string{}
	for _, row := range r[1:] {
		got[row[2]] = [2]string{row[0], row[8]}
	}
	for ref, w := range want {
		if got[ref] != w {
			t.Errorf("listing %s: status and step %q, want %q", ref, got[ref], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("listings %q, want %d", got, len(want))
	}
	if st := cellStyle(t, f, "Portal failures", "A2"); len(st.Fill.Color) == 0 || st.Fill.Color[0] != "FFC7CE" {
		t.Errorf("a listing still failing is filled %v, want FFC7CE (red)", st.Fill.Color)
	}
	health := []string{"Zoopla", "5", "4", "4", "3", "1"}
	if rows := summaryTable(t, f, "Portal health"); len(rows) != 1 || !slices.Equal(rows[0][:6], health) {
		t.Errorf("the Summary's Portal health is %q, want %q", rows, health)
	}
	p := srv.Only(t)
	if want := "3 listings failing on Zoopla · Tue 2 Jun 2026"; !strings.HasSuffix(p.Subject, want) {
		t.Errorf("subject %q, want it to end %q", p.Subject, want)
	}
	const line = "Zoopla: 5 submissions, 4 failed; 4 listings failed: 3 still failing, 1 fixed later"
	if !slices.Contains(textLines(p), line) {
		t.Errorf("the text lacks %q:\n%s", line, p.Text)
	}
	if rows := htmlPortals(htmlLines(t, p)); len(rows) != 1 || !slices.Equal(rows[0], health) {
		t.Errorf("the HTML's portal table is %q, want %q", rows, health)
	}
}
