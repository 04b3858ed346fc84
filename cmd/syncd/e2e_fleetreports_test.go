package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/syncd-dev/syncd/internal/postgres/pgtest"
)

// TestEveryInstancePrunesItsOldWorkbooks runs two instances on one
// database, each with a local reports directory holding a workbook older
// than report.keep_days (made while it led the report, before a restart
// moved the lead). Only a report being made pruned the directory, and only
// on the host making it: a former leader's workbooks, a day's leads each,
// stayed past their retention for as long as it did not lead again. Every
// instance prunes its own directory.
func TestEveryInstancePrunesItsOldWorkbooks(t *testing.T) {
	t.Parallel()
	notInShort(t, longUnderRace)
	dsn := pgtest.DSN(t)
	old := "leads-" + time.Now().AddDate(0, 0, -40).Format(time.DateOnly) + ".xlsx"
	recent := "leads-" + time.Now().AddDate(0, 0, -3).Format(time.DateOnly) + ".xlsx"
	var dirs []string
	for range 2 {
		dir := t.TempDir()
		reports := filepath.Join(dir, "reports")
		os.MkdirAll(reports, 0o750)
		for _, name := range []string{old, recent} {
			if err := os.WriteFile(filepath.Join(reports, name), []byte("a day's leads"), 0o640); err != nil {
				t.Fatal(err)
			}
		}
		file := filepath.Join(dir, "syncd.yaml")
		yaml := configYAML(dir, []string{e2eLBToken}, "report: {dir: "+reports+", keep_days: 30}\n") + pgStore(t, dir, dsn)
		os.WriteFile(file, []byte(yaml), 0o600)
		start(t, file)
		dirs = append(dirs, reports)
	}
	for _, reports := range dirs {
		waitFor(t, "the old workbook deleted in "+reports, func() bool {
			_, err := os.Stat(filepath.Join(reports, old))
			return os.IsNotExist(err)
		})
		if _, err := os.Stat(filepath.Join(reports, recent)); err != nil {
			t.Fatalf("a workbook within keep_days went: %v", err)
		}
		if names, _ := os.ReadDir(reports); len(names) != 1 || !strings.HasPrefix(names[0].Name(), "leads-") {
			t.Fatalf("%s holds %v", reports, names)
		}
	}
}
