package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestReportKeepDaysNotAPositiveNumberIsSaid: an operator who wrote
// report.keep_days: 0, as retention's 0 (for ever) a few lines below in
// the example, had validate say ok and the daemon delete the workbooks
// after 90 days, the default 0 stands for; keep_days: -1 said ok too and
// deleted none. Both are now a warning on the line saying what syncd does
// with it and what to write.
func TestReportKeepDaysNotAPositiveNumberIsSaid(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(keep string) []config.Problem {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  keep_days: " + keep + "\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("keep_days %s: %v", keep, err)
		}
		return cfg.Warnings
	}
	for keep, want := range map[string]string{
		"0":  "c.yaml:8: report.keep_days 0 is taken as the default, 90: workbooks older than 90 days are deleted",
		"-1": "c.yaml:8: report.keep_days -1 keeps every workbook for ever",
	} {
		w := fmt.Sprint(load(keep))
		if !strings.Contains(w, want) || !strings.Contains(w, "write the days to keep them") {
			t.Errorf("keep_days %s: warnings %s, want %q and what to write", keep, w, want)
		}
	}
	if w := load("30"); len(w) != 0 {
		t.Errorf("keep_days 30: warnings %v", w)
	}
}
