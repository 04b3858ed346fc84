package config_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/syncd-dev/syncd/internal/config"
)

// TestReportScheduleEveryIsNoTimeOfDay: report.schedule "@every 24h",
// written for a daily report, passed validate; the daemon then made each
// day's report 24 to 48 hours after the day ended (a day is due one
// interval after its end, and @every ticks from the daemon's start), at an
// hour each restart moved. It is now a warning on the line saying so and
// what to write; a time of day, @daily, or a short interval (the tests'
// @every 1s) says nothing.
func TestReportScheduleEveryIsNoTimeOfDay(t *testing.T) {
	maps, _ := filepath.Abs("../../mappings/hubspot")
	load := func(spec string) string {
		raw := "sources:\n  lb:\n    kind: lokalebasen\n    tokens: [abcdefghijklmnopqrstuvwxyz]\nmapping:\n  dir: " + maps +
			"\nreport:\n  schedule: \"" + spec + "\"\n"
		cfg, err := config.Parse("c.yaml", []byte(raw), env(nil))
		if err != nil {
			t.Fatalf("schedule %s: %v", spec, err)
		}
		if len(cfg.Warnings) == 0 {
			return ""
		}
		return fmt.Sprint(cfg.Warnings)
	}
	want := `c.yaml:8: report.schedule "@every 24h" runs every 24 hours counted from the daemon's start, not at a time of day: ` +
		`a day's report is made 24 hours to 48 hours after the day ended`
	if w := load("@every 24h"); !strings.Contains(w, want) || !strings.Contains(w, `"0 6 * * *" for 06:00`) {
		t.Errorf("@every 24h: warnings %s, want %q and what to write", w, want)
	}
	// The interval is said in words, as the operator wrote it and the
	// other messages say a time, not as Go prints one ("24h0m0s").
	if w := load("@every 90m"); !strings.Contains(w, `runs every 1.5 hours counted`) || strings.Contains(w, "0m0s") {
		t.Errorf("@every 90m: warnings %s, want the interval in words (1.5 hours)", w)
	}
	for _, ok := range []string{"0 6 * * *", "@daily", "@every 1s", "@every 1h"} {
		if w := load(ok); w != "" {
			t.Errorf("schedule %s: warnings %s", ok, w)
		}
	}
}
