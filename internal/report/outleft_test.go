package report_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestMakeOutDeletesWhatAKilledReportLeft: `syncd report -out FILE`
// killed while writing (kill -9, a power cut) left its temporary file, a
// hidden .FILE.NNN.tmp holding a day's leads, in the operator's directory
// for ever: only report.dir's were cleaned. The next report written into
// that directory deletes them: at once those whose flock no report holds
// (a report being written now holds its own, and it stays), those of the
// earlier name once an hour old; the new temporary files say whose they
// are, so that one left under any name is found.
func TestMakeOutDeletesWhatAKilledReportLeft(t *testing.T) {
	t.Parallel()
	report.LayoutOnly(t)
	db := openDB(t)
	dir := t.TempDir()
	now := time.Now()
	files := map[string]time.Time{
		".weekly.xlsx.2718281828.tmp":                 now.Add(-2 * time.Hour), // its own name, as written before
		".monday.xlsx.1618033988.syncd-report.tmp":    now.Add(-2 * time.Hour), // another name, as written now
		".weekly.xlsx.3141592653.syncd-report.tmp":    now.Add(-time.Minute),   // being written now
		".weekly.xlsx.1732050807.syncd-report.tmp":    now.Add(-time.Minute),   // killed a minute ago
		".weekly.xlsx.1414213562.tmp":                 now.Add(-time.Minute),   // the earlier name, maybe being written
		".notes.txt.1414213562.tmp":                   now.Add(-48 * time.Hour),
		".monday.xlsx.1732050807.syncd-backup.tmp":    now.Add(-48 * time.Hour),
		"weekly-old.xlsx":                             now.Add(-48 * time.Hour),
		".leads-2026-01-03.xlsx.2718281828.tmp.other": now.Add(-48 * time.Hour),
	}
	for name, at := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("PK leads"), 0o640); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
	}
	holdFlock(t, filepath.Join(dir, ".weekly.xlsx.3141592653.syncd-report.tmp"))
	_, err := report.Make(context.Background(), report.Day{Year: 2026, Month: 1, Day: 4},
		report.Options{Store: db, Out: filepath.Join(dir, "weekly.xlsx")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{".leads-2026-01-03.xlsx.2718281828.tmp.other", ".monday.xlsx.1732050807.syncd-backup.tmp",
		".notes.txt.1414213562.tmp", ".weekly.xlsx.1414213562.tmp", ".weekly.xlsx.3141592653.syncd-report.tmp", "weekly-old.xlsx", "weekly.xlsx"}
	if !slices.Equal(got, want) {
		t.Fatalf("left\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
