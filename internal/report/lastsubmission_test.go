package report_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestListingStandsByItsLastSubmission: a listing rejected at 09:00 for
// its missing asking price and a portal timeout, and at 12:00, the price
// added, for the timeout alone, still read "Still failing" with the price's
// step under What to do: the manager added a price already there. Its
// steps are now its last failed submission's (the portal was busy: it
// may be resubmitted by itself, else resubmit it; still failing, as
// nothing says the portal side retries it), and the Errors cell says the
// price's error was earlier, not in the last submission. The 12:00 submission is
// received first (the sender retried the 09:00 delivery later): the
// sender's times decide which is last.
func TestListingStandsByItsLastSubmission(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 2, h, m, 0, 0, loc) }
	submissionReceived(t, db, loc, at(12, 0), at(12, 1), "rightmove", "100", "error", "ERR_PORTAL_TIMEOUT")
	submissionReceived(t, db, loc, at(9, 0), at(12, 30), "rightmove", "100", "error", "ERR_MISSING_PRICE", "ERR_PORTAL_TIMEOUT")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	r := rows(t, openBook(t, path), "Portal failures")
	wantHeader(t, r, wantFailures)
	if len(r) != 2 {
		t.Fatalf("Portal failures rows %q; want the one listing", r)
	}
	row := r[1]
	if row[0] != "Still failing" {
		t.Errorf("status %q; want Still failing: no later submission succeeded", row[0])
	}
	if want := "The portal was busy or did not answer. Estate Agent Feeds may resubmit the listing by itself; " +
		"if no later submission of it succeeds, resubmit it."; row[8] != want {
		t.Errorf("What to do:\n%s\nwant\n%s", row[8], want)
	}
	if want := "ERR_PORTAL_TIMEOUT: message of ERR_PORTAL_TIMEOUT\n" +
		"ERR_MISSING_PRICE: message of ERR_MISSING_PRICE (earlier, not in the last submission)"; row[7] != want {
		t.Errorf("Errors:\n%s\nwant\n%s", row[7], want)
	}
	if row[5] != "12:00" || row[6] != "2" {
		t.Errorf("submitted at %q, failed %q; want 12:00, 2", row[5], row[6])
	}
}
