package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestFailureReceivedAfterItsFixIsFixed: Estate Agent Feeds retries a
// delivery it got no 200 for (a 503 while the disk was full, its own
// timeout) 30 minutes later, so a failed submission can arrive after the
// success that fixed it. The listing was reported "Still failing", the
// success read before the failure and forgotten; by the submissions' own
// times (eaf_date) it is fixed, and when.
func TestFailureReceivedAfterItsFixIsFixed(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 2, h, m, 0, 0, loc) }
	// Failed at 10:00, delivered only by the second retry at 11:00; fixed at 10:40.
	submissionReceived(t, db, loc, at(10, 40), at(10, 41), "rightmove", "100", "success")
	submissionReceived(t, db, loc, at(10, 0), at(11, 0), "rightmove", "100", "error", "ERR_MISSING_PRICE")
	// Failed again at 12:00 after a success at 11:30 received late: still failing.
	submissionReceived(t, db, loc, at(11, 30), at(12, 30), "zoopla", "200", "success")
	submissionReceived(t, db, loc, at(12, 0), at(12, 1), "zoopla", "200", "error", "ERR_MISSING_PRICE")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	r := rows(t, openBook(t, path), "Portal failures")
	var got []string
	for _, row := range r[1:] {
		fixedAt := ""
		if len(row) > 9 {
			fixedAt = row[9]
		}
		got = append(got, strings.Join(append(row[:7:7], fixedAt), "|"))
	}
	want := "Still failing|Zoopla|200|200_EAF_67004|update|12:00|1|\n" +
		"Fixed|Rightmove|100|100_EAF_67004|update|10:00|1|10:40"
	if strings.Join(got, "\n") != want {
		t.Fatalf("rows\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
}
