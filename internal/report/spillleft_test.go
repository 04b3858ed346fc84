package report_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/report"
)

// TestPruneDeletesTheRowsAKilledReportSpilled: the directory a report
// spills a large day's rows into (.leads-DAY.xlsx.NNN.syncd-report.tmp,
// beside the workbook) outlives a report killed mid-way, the day's leads
// in it. Prune, as syncd purge and each report run it, deletes one no
// report holds the flock of any more, however young; one a running
// report holds stays, as does a directory of another name.
func TestPruneDeletesTheRowsAKilledReportSpilled(t *testing.T) {
	t.Parallel()
	db := openDB(t)
	dir := t.TempDir()
	now := time.Now()
	old, young := now.Add(-2*time.Hour), now.Add(-time.Minute)
	spills := map[string]time.Time{ // directory: when its file was last written
		".leads-2026-01-03.xlsx.2718281828.syncd-report.tmp": old,
		".leads-2026-01-04.xlsx.3141592653.syncd-report.tmp": young, // a report writes it now
		".leads-2026-01-06.xlsx.1414213562.syncd-report.tmp": young, // killed a minute ago
		".leads-2026-01-05.xlsx.1618033988.syncd-other.tmp":  old,
	}
	for name, at := range spills {
		d := filepath.Join(dir, name)
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(d, "excelize-1234")
		if err := os.WriteFile(f, []byte("<row><c><v>angela@hotmail.com</v></c></row>"), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{f, d} {
			if err := os.Chtimes(p, at, at); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chtimes(d, old, old); err != nil { // a file written into since leaves its directory's time
			t.Fatal(err)
		}
	}
	holdFlock(t, filepath.Join(dir, ".leads-2026-01-04.xlsx.3141592653.syncd-report.tmp"))
	if _, err := report.Prune(report.Options{Store: db, Dir: dir, Keep: 90}); err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	want := []string{".leads-2026-01-04.xlsx.3141592653.syncd-report.tmp", ".leads-2026-01-05.xlsx.1618033988.syncd-other.tmp"}
	if !slices.Equal(got, want) {
		t.Fatalf("left\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// holdFlock opens p and holds its flock until the test ends, as a report
// writing p does.
func holdFlock(t *testing.T, p string) {
	t.Helper()
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
}
