package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestWorkbookMadeAgainSaysWhen: the day's workbook was made and mailed
// the next morning; a fortnight later syncd erase made it again without
// a person. Its heading said only "made" at the erase, and a manager
// comparing it with the mailed copy (one lead fewer) had nothing to tell
// why. It says when it was made, and when and why it was made again.
func TestWorkbookMadeAgainSaysWhen(t *testing.T) {
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	fill0329(t, db, loc)
	dir := t.TempDir()
	day := report.Day{Year: 2026, Month: 3, Day: 29}
	first := time.Date(2026, 3, 30, 6, 0, 0, 0, loc)
	if _, err := report.Make(ctx, day, report.Options{Store: db, Dir: dir, Location: loc,
		Now: func() time.Time { return first }}); err != nil {
		t.Fatal(err)
	}
	again := time.Date(2026, 4, 13, 10, 2, 0, 0, loc)
	path, err := report.Make(ctx, day, report.Options{Store: db, Dir: dir, Location: loc, Again: true,
		Now: func() time.Time { return again }})
	if err != nil {
		t.Fatal(err)
	}
	heading := rows(t, openBook(t, path), "Summary")[1][0]
	if !strings.Contains(heading, "made 2026-03-30 06:00 CEST") || !strings.Contains(heading, "made again 2026-04-13 10:02 CEST") {
		t.Errorf("the heading of the workbook made again: %q; want when it was made, and when made again", heading)
	}
}
