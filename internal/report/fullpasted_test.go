package report

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"syscall"
	"testing"
)

// TestFullReportsDirDfPastesInAnyDirectory: a workbook not written for
// want of room says to free space there, naming the df -h of report.dir.
// It named the directory bare, so under "Søren's syncd (test)" the df
// pasted into a shell did not run (sh: unterminated quoted string). It is
// quoted for the shell now: the df as printed runs.
func TestFullReportsDirDfPastesInAnyDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	err := explainFull("leads-2026-12-07.xlsx", dir, syscall.ENOSPC)
	m := regexp.MustCompile(`free space there \((df -h .*)\), or set report.dir`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no df said: %v", err)
	}
	if out, err := exec.Command("sh", "-c", m[1]).CombinedOutput(); err != nil {
		t.Errorf("%s, run by sh: %v\n%s", m[1], err, out)
	}
}
