package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportOutADirectorySaysToNameTheFile: `syncd report -out ~/Desktop`,
// a directory meaning the workbook in it, was told "the report is an
// Excel workbook: name the file .xlsx"; a directory named day.xlsx was
// told it "exists: … add -replace to write over it", and with -replace the
// report was made only to fail renamed over it ("rename …: file exists",
// exit 1). Both are refused at once, exit 2, saying it is a directory and
// the path to give, the day's own file name in it; nothing is written.
func TestReportOutADirectorySaysToNameTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	config := writeConfig(t, dir)
	makeDB(t, dir)
	desktop := filepath.Join(dir, "Desktop")
	named := filepath.Join(dir, "day.xlsx")
	for _, d := range []string{desktop, named} {
		if err := os.Mkdir(d, 0o750); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"-out", desktop},
		{"-out", named},
		{"-out", named, "-replace"},
	} {
		out := args[1]
		stdout, stderr, code := syncdRun(t, append([]string{"report", "-config", config, "-date", "2026-11-28"}, args...)...)
		want := out + " is a directory: name the workbook to write in it, e.g. -out " + sq(filepath.Join(out, "leads-2026-11-28.xlsx"))
		if code != 2 || !strings.Contains(stderr, want) {
			t.Errorf("report %q: exit %d, %q%q; want 2 and %q", args, code, stdout, stderr, want)
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Errorf("report %q wrote into the directory: %v", args, left)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(left) != 0 {
		t.Errorf("left beside: %v", left)
	}
}
