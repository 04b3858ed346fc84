package report_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestEachNextStepNamesTheErrorItAnswers: a listing rejected with several
// errors had its steps listed under What to do in the errors' order but
// beside nothing that tied them to their errors. An error's message and its
// step wrap to different numbers of lines, so on paper the step printed
// beside ERR_MISSING_PRICE was the end of the account allowance's, and the
// one beside the next error was the price's: the manager read the wrong
// advice for an error. With more than one step, each names the codes it
// answers (two codes of one step, once); a listing of one step is as it was.
func TestEachNextStepNamesTheErrorItAnswers(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	loc := copenhagen(t)
	db := openDB(t)
	at := func(h, m int) time.Time { return time.Date(2026, 6, 2, h, m, 0, 0, loc) }
	submissionReceived(t, db, loc, at(9, 0), at(9, 1), "rightmove", "100", "error",
		"ERR_ACCOUNT_ALLOWANCE", "ERR_MISSING_PRICE", "ERR_PORTAL_TIMEOUT", "ERR_SOMETHING_NEW", "ERR_PORTAL_UNAVAILABLE")
	submissionReceived(t, db, loc, at(10, 0), at(10, 1), "zoopla", "200", "error", "ERR_MISSING_PRICE")
	submissionReceived(t, db, loc, at(11, 0), at(11, 1), "zoopla", "300", "error", "ERR_PORTAL_TIMEOUT", "ERR_PORTAL_UNAVAILABLE")
	path, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 6, Day: 2},
		report.Options{Store: db, Out: filepath.Join(t.TempDir(), "r.xlsx"), Location: loc})
	if err != nil {
		t.Fatal(err)
	}
	r := rows(t, openBook(t, path), "Portal failures")
	wantHeader(t, r, wantFailures)
	const busy = "The portal was busy or did not answer. Estate Agent Feeds may resubmit the listing by itself; " +
		"if no later submission of it succeeds, resubmit it."
	todo := map[string]string{}
	for _, row := range r[1:] {
		todo[row[2]] = row[8]
	}
	want := map[string]string{
		"100": "ERR_ACCOUNT_ALLOWANCE: The portal account is at its listing allowance: withdraw listings no longer " +
			"marketed, or ask the portal to raise the allowance; then resubmit.\n" +
			"ERR_MISSING_PRICE: Add the asking price to the listing in your software; it is resubmitted with the next feed.\n" +
			"ERR_PORTAL_TIMEOUT, ERR_PORTAL_UNAVAILABLE: " + busy + "\n" +
			"ERR_SOMETHING_NEW: Read the portal's message; if it is unclear, ask Estate Agent Feeds support " +
			"(support@estateagentfeeds.com).",
		"200": "Add the asking price to the listing in your software; it is resubmitted with the next feed.",
		"300": busy,
	}
	for ref, w := range want {
		if got := todo[ref]; got != w {
			t.Errorf("listing %s, What to do:\n%s\nwant\n%s", ref, got, w)
		}
	}
	if len(todo) != len(want) {
		t.Errorf("listings %v, want %d", strings.Join(func() (k []string) {
			for ref := range todo {
				k = append(k, ref)
			}
			return
		}(), " "), len(want))
	}
}
