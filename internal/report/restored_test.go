package report_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestDueKeepsWorkbooksMadeBeforeARestore: on a database restored from a
// backup taken before some reports were made, a day with no record whose
// workbook is in the reports directory, written between the backup and
// the restore at or after the day's run, is not due (made again from the
// backup it would lack the leads received since, and be mailed twice).
// A workbook from before the backup, or from after the restore (a record
// that failed on a full disk), or none at all, leaves the day due. A kept
// workbook is recorded as kept, at its time (the restored database used
// to say its last report was the backup's).
func TestDueKeepsWorkbooksMadeBeforeARestore(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	ctx := context.Background()
	loc := copenhagen(t)
	at := func(d, h int) time.Time { return time.Date(2026, 5, d, h, 0, 0, 0, loc) }
	taken, restoredAt := at(10, 2), at(13, 9) // a backup at 02:00 on the 10th, restored on the 13th
	dir := t.TempDir()
	write := func(day string, mtime time.Time) {
		path := filepath.Join(dir, "leads-"+day+".xlsx")
		if err := os.WriteFile(path, []byte("x"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	write("2026-05-08", at(9, 6))   // made before the backup, recorded in it
	write("2026-05-09", at(10, 6))  // made after the backup: kept
	write("2026-05-10", at(11, 6))  // kept
	write("2026-05-11", at(11, 20)) // by hand before its run: due
	// 2026-05-12: its workbook lost with the disk: due
	db := openDB(t)
	if err := db.RecordReport(ctx, report.Record{Day: "2026-05-08", Path: "x", CreatedAt: at(9, 6)}); err != nil {
		t.Fatal(err)
	}
	due := func(o report.Options, now time.Time) []string {
		t.Helper()
		o.Store, o.Dir, o.Location = db, dir, loc
		s, err := report.NewScheduler("", 7, o)
		if err != nil {
			t.Fatal(err)
		}
		days, err := s.Due(ctx, now)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, d := range days {
			out = append(out, d.String())
		}
		return out
	}
	if got, want := due(report.Options{}, restoredAt), []string{"2026-05-09", "2026-05-10", "2026-05-11", "2026-05-12"}; !slices.Equal(got, want) {
		t.Fatalf("not restored: due %q, want %q", got, want)
	}
	restored := report.Options{BackupTaken: taken, RestoredAt: restoredAt}
	if got, want := due(restored, restoredAt), []string{"2026-05-11", "2026-05-12"}; !slices.Equal(got, want) {
		t.Fatalf("restored: due %q, want %q", got, want)
	}
	// The kept workbooks are recorded, at their time: status and the
	// metrics speak of the last of them, not of the backup's last report.
	last, err := db.LastReport(ctx, true)
	if err != nil || last.Day != "2026-05-10" || last.Mail != report.MailKept || !last.CreatedAt.Equal(at(11, 6)) {
		t.Fatalf("last report after the restore: %+v %v; want 2026-05-10 kept, made %v", last, err, at(11, 6))
	}
	write("2026-05-12", at(13, 10)) // made after the restore, its record refused (a full disk): due again
	if got, want := due(restored, at(13, 11)), []string{"2026-05-11", "2026-05-12"}; !slices.Equal(got, want) {
		t.Fatalf("restored, a workbook since: due %q, want %q", got, want)
	}
}
