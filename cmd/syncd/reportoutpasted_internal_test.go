package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestReportOutDirectorySuggestsAFileThatPastes: report -out DIR names
// the workbook to write in it ("e.g. -out DIR/leads-YYYY-MM-DD.xlsx").
// It named it bare, so under "Søren's syncd (test)" the suggestion pasted
// into a shell did not run (sh: unterminated quoted string); it is quoted
// for the shell now, as syncd's other printed commands are.
func TestReportOutDirectorySuggestsAFileThatPastes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "Søren's syncd (test)")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	err := checkOut(dir, "2026-11-28", false)
	if err == nil {
		t.Fatal("report -out DIR accepted a directory")
	}
	m := regexp.MustCompile(`e\.g\. (-out .*)$`).FindStringSubmatch(err.Error())
	if m == nil {
		t.Fatalf("no -out suggested: %v", err)
	}
	words, err := exec.Command("sh", "-c", `printf '%s\000' `+m[1]).CombinedOutput()
	if err != nil {
		t.Fatalf("%s, pasted into sh: %v\n%s", m[1], err, words)
	}
	if got, want := strings.Split(strings.TrimSuffix(string(words), "\x00"), "\x00"), []string{"-out", filepath.Join(dir, "leads-2026-11-28.xlsx")}; !slices.Equal(got, want) {
		t.Errorf("%s, pasted into sh, gives %q, want %q", m[1], got, want)
	}
}
