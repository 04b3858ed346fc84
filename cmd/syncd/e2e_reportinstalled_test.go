package main_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/sqlite"
)

// TestReportByHandBeforeInstallationSaysSo: `syncd report -date` of a day
// before the daemon first ran on the database made a workbook saying
// "Nothing was received on Monday 2 November 2026: no leads, no portal
// submissions, no feed imports.", as of a day the intake was dead. Kept in
// the reports directory or written elsewhere (-out), it says the day ended
// before syncd was installed, and when.
func TestReportByHandBeforeInstallationSaysSo(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dir := t.TempDir()
	config := writeConfigWith(t, dir, "")
	makeDB(t, dir)
	db, err := sqlite.Open(context.Background(), filepath.Join(dir, "data", "syncd.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	installed := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC) // 10:30 in Copenhagen
	db.Now = func() time.Time { return installed }
	if _, err := db.InstalledAt(context.Background()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	want := "This day ended before syncd was installed (2026-11-20 10:30 CET): nothing of it was received."
	for _, args := range [][]string{nil, {"-out", filepath.Join(dir, "look.xlsx")}} {
		out, stderr, code := syncdRun(t, append([]string{"report", "-date", "2026-11-02", "-config", config}, args...)...)
		if code != 0 {
			t.Fatalf("report %v: exit %d\n%s%s", args, code, out, stderr)
		}
		if got := summaryText(t, strings.TrimSpace(out)); !strings.Contains(got, want) {
			t.Errorf("report %v of a day before the installation:\n%s\nwant it to say %q", args, got, want)
		}
	}
}
