package report_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/syncd-dev/syncd/internal/logtest"
	"github.com/syncd-dev/syncd/internal/report"
)

// TestStartAfterALongStopSaysWhichReportsItDoesNotMake: a daemon stopped
// for three weeks makes, as it starts, the missed reports of the last
// report.catch_up_days days only. The days before those, back to the last
// report made, get none; the log names them and says how to make one,
// once, rather than leave the office without those days' reports and
// nobody told. A day whose workbook is in the reports directory is not
// among them, and a later run says nothing again.
func TestStartAfterALongStopSaysWhichReportsItDoesNotMake(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	db := openDB(t)
	for _, day := range []string{"2026-02-20", "2026-03-09", "2026-03-10"} { // a gap long before: not the stop's
		if err := db.RecordReport(ctx, report.Record{Day: day, Path: "leads-" + day + ".xlsx",
			CreatedAt: time.Date(2026, 3, 11, 6, 0, 0, 0, loc), Mail: report.MailNone}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "leads-2026-03-12.xlsx"), []byte("made"), 0o640); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 30, 8, 0, 0, 0, loc)
	var log logtest.Buffer
	s, err := report.NewScheduler("0 6 * * *", 7, report.Options{Store: db, Dir: dir, Location: loc,
		Log: zerolog.New(&log), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := s.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for _, day := range []string{"2026-03-23", "2026-03-29"} {
		if _, err := os.Stat(filepath.Join(dir, "leads-"+day+".xlsx")); err != nil {
			t.Errorf("the report of %s, within the catch-up days, was not made: %v", day, err)
		}
	}
	var told []map[string]any
	for _, l := range log.Lines(t) {
		if strings.Contains(l["message"].(string), "not made") {
			told = append(told, l)
		}
	}
	if len(told) != 1 {
		t.Fatalf("told %d times of the reports not made, want once:\n%s", len(told), log.String())
	}
	l := told[0]
	msg := l["message"].(string)
	if l["level"] != "warn" || l["from"] != "2026-03-11" || l["to"] != "2026-03-22" || l["days"] != float64(11) {
		t.Errorf("told %v, want a warning of 2026-03-11 to 2026-03-22, 11 days (03-12's workbook is there)", l)
	}
	for _, want := range []string{"report.catch_up_days", "syncd report -date DAY -mail"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the warning does not say %q: %s", want, msg)
		}
	}
	if strings.Contains(log.String(), "2026-02-2") {
		t.Errorf("a gap before the last report ahead of the stop is told:\n%s", log.String())
	}
}
