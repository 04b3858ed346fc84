package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestReportDirThatIsAFileIsRefused: a report.dir naming a file (a path
// mistyped onto a workbook, say) passed validate; serve then only warned
// "reports directory lock: mkdir …: not a directory" and went on, and
// every day's report failed. It is now a problem naming the file; a
// directory there, or none yet (serve makes it), is fine.
func TestReportDirThatIsAFileIsRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "leads-2026-11-30.xlsx")
	os.WriteFile(file, []byte("PK"), 0o640)
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(reportDir string) error {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  dir: " + reportDir + "\n"
		_, err := config.Parse("c.yaml", []byte(raw), env(nil))
		return err
	}
	if err := load(file); err == nil || !strings.Contains(err.Error(), "c.yaml:8: report.dir "+file+" is a file, not a directory") {
		t.Errorf("report.dir a file: %v", err)
	}
	for _, ok := range []string{dir, filepath.Join(dir, "reports")} {
		if err := load(ok); err != nil {
			t.Errorf("report.dir %s: %v", ok, err)
		}
	}
}
